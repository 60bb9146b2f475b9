"""The benchmark scene: a trefoil tube of about 16k triangles, as numpy arrays."""

import numpy as np


def trefoil(segments=342, sides=24, radius=0.35):
    """Vertices (N, 3) float32 and faces (M, 3) int32 of a tube around a trefoil knot."""
    t = np.linspace(0, 2 * np.pi, segments, endpoint=False)
    curve = np.stack([np.sin(t) + 2 * np.sin(2 * t), np.cos(t) - 2 * np.cos(2 * t), -np.sin(3 * t)], axis=1)
    tangent = np.gradient(curve, axis=0)
    tangent /= np.linalg.norm(tangent, axis=1, keepdims=True)
    normal = np.cross(tangent, [0.0, 0.0, 1.0])
    normal /= np.linalg.norm(normal, axis=1, keepdims=True)
    binormal = np.cross(tangent, normal)
    a = np.linspace(0, 2 * np.pi, sides, endpoint=False)
    ring = np.cos(a)[None, :, None] * normal[:, None, :] + np.sin(a)[None, :, None] * binormal[:, None, :]
    vertices = (curve[:, None, :] + radius * ring).reshape(-1, 3).astype(np.float32)
    i, j = np.meshgrid(np.arange(segments), np.arange(sides), indexing="ij")
    v00, v10 = i * sides + j, ((i + 1) % segments) * sides + j
    v01, v11 = i * sides + (j + 1) % sides, ((i + 1) % segments) * sides + (j + 1) % sides
    faces = np.concatenate([np.stack([v00, v10, v11], -1), np.stack([v00, v11, v01], -1)]).reshape(-1, 3)
    return vertices, faces.astype(np.int32)


def turned(vertices, angle):
    """The vertices turned by `angle` radians about the vertical axis."""
    c, s = np.cos(angle), np.sin(angle)
    return (vertices @ np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]], dtype=np.float32).T).astype(np.float32)

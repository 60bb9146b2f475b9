// Views whose cameras move together (link_cameras): groups of members, each member in at most one group.
import type { Orbit } from './orbit.js';

// A camera that can be linked: its orbit now, and how it takes another's without reporting a move back.
export interface Linkable {
  readonly orbit: Orbit;
  follow(orbit: Orbit): void;
}

export class CameraLinks {
  // Each linked member's group; the members of one group share one Set.
  readonly #groups = new Map<Linkable, Set<Linkable>>();

  // Put `members` and everything already linked to any of them in one group, all at the first member's camera.
  link(members: readonly Linkable[]): void {
    const [first] = members;
    if (first === undefined) return;
    const group = new Set<Linkable>();
    for (const member of members) {
      for (const linked of this.#groups.get(member) ?? [member]) group.add(linked);
    }
    if (group.size < 2) return;
    for (const member of group) this.#groups.set(member, group);
    const orbit = first.orbit;
    for (const member of group) if (member !== first) member.follow(orbit);
  }

  // Take `member` out of its group (a view that unlinks or closes); a group left with one member dissolves.
  unlink(member: Linkable): void {
    const group = this.#groups.get(member);
    if (group === undefined) return;
    group.delete(member);
    this.#groups.delete(member);
    if (group.size === 1) for (const last of group) this.#groups.delete(last);
  }

  // `member`'s camera moved to `orbit`: the others in its group follow.
  moved(member: Linkable, orbit: Orbit): void {
    for (const other of this.#groups.get(member) ?? []) if (other !== member) other.follow(orbit);
  }
}

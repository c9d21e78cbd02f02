/*
 * Escalation as pure data and decisions. A policy is ordered levels; each level names targets
 * and how long to wait for an acknowledgement before the next level. After the last level the
 * whole policy repeats `repeatCount` times. The engine module applies these decisions.
 */

export interface EscalationTarget {
  type: 'user' | 'schedule' | 'team';
  id: string;
}

export interface EscalationLevel {
  delayMinutes: number;
  targets: EscalationTarget[];
}

export interface EscalationPolicy {
  id: string;
  teamId: string;
  name: string;
  repeatCount: number;
  levels: EscalationLevel[];
  createdAt: number;
}

/** Where an escalation stands. */
export interface EscalationPosition {
  level: number;
  round: number;
}

/**
 * After notifying `pos`, what comes next and when: the next level after this level's delay, or
 * level 0 of the next round, or — after the last level of the last round — the end marker
 * (`level === levels.length`), due when that level's wait runs out, so "nobody acknowledged" is
 * recorded only once it is true. Null past the end.
 */
export function nextStep(
  policy: Pick<EscalationPolicy, 'levels' | 'repeatCount'>,
  pos: EscalationPosition,
  notifiedAt: number,
): (EscalationPosition & { at: number }) | null {
  const level = policy.levels[pos.level];
  if (!level) return null;
  const at = notifiedAt + level.delayMinutes * 60_000;
  if (pos.level + 1 < policy.levels.length) return { level: pos.level + 1, round: pos.round, at };
  if (pos.round < policy.repeatCount) return { level: 0, round: pos.round + 1, at };
  return { level: policy.levels.length, round: pos.round, at };
}

/** True when the position is the end marker: every level of every round was paged and waited for. */
export function isExhausted(
  policy: Pick<EscalationPolicy, 'levels'>,
  pos: EscalationPosition,
): boolean {
  return pos.level >= policy.levels.length;
}

/**
 * The key that makes a page happen at most once per (incident, level, round, person) within one
 * run of a policy; `epoch` counts reassignments, so a reassigned incident pages afresh.
 */
export function pageKey(
  incidentId: string,
  pos: EscalationPosition,
  userId: string,
  epoch = 0,
): string {
  return `page:${incidentId}:${epoch}:${pos.level}:${pos.round}:${userId}`;
}

/**
 * Resolves a level's targets to people at one instant: users as they are, schedules to whoever is
 * on call then, a team to the on-call of each of its schedules. Duplicates collapse.
 */
export function resolveTargets(
  targets: EscalationTarget[],
  onCall: (scheduleId: string) => string | undefined,
  teamSchedules: (teamId: string) => string[],
): string[] {
  const people = new Set<string>();
  for (const t of targets) {
    if (t.type === 'user') people.add(t.id);
    else if (t.type === 'schedule') {
      const who = onCall(t.id);
      if (who) people.add(who);
    } else {
      for (const s of teamSchedules(t.id)) {
        const who = onCall(s);
        if (who) people.add(who);
      }
    }
  }
  return [...people];
}

import { EXOTEL_SUPPORT_POLICY_V1, type SlaPolicyVersion } from '../options/support-policy';

// The policy's vocabulary lives with the options that carry it; support's own files import it here.
export {
  EXOTEL_SUPPORT_POLICY_V1,
  SUPPORT_PLANS,
  TICKET_SEVERITIES,
  type CoverageHours,
  type SlaPolicyVersion,
  type SlaTargets,
  type SupportPlan,
  type TicketSeverity,
} from '../options/support-policy';

/**
 * The versions of the support policy, ordered by `effectiveFrom`. Configured versions are added to
 * the built-in one; a configured version with the built-in id replaces it.
 */
export class SlaPolicyCatalogue {
  private readonly versions: readonly SlaPolicyVersion[];

  constructor(configured: readonly SlaPolicyVersion[] = []) {
    const byId = new Map<string, SlaPolicyVersion>([[EXOTEL_SUPPORT_POLICY_V1.id, EXOTEL_SUPPORT_POLICY_V1]]);
    for (const version of configured) byId.set(version.id, version);
    this.versions = [...byId.values()].sort((a, b) => a.effectiveFrom.getTime() - b.effectiveFrom.getTime());
  }

  /** Every version, oldest first. */
  all(): readonly SlaPolicyVersion[] {
    return this.versions;
  }

  /**
   * The version in force at `instant`: the latest whose `effectiveFrom` is not after it. Undefined
   * when `instant` precedes every version (only possible when the built-in one was replaced).
   */
  inForceAt(instant: Date): SlaPolicyVersion | undefined {
    let found: SlaPolicyVersion | undefined;
    for (const version of this.versions) {
      if (version.effectiveFrom.getTime() > instant.getTime()) break;
      found = version;
    }
    return found;
  }
}

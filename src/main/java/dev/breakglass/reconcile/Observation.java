package dev.breakglass.reconcile;

import java.util.List;

/**
 * What {@link Step#observe} found. Observing never writes. "Could not check" is {@link Unknown},
 * never {@link UpToDate}: verification fails closed.
 */
public sealed interface Observation {

    /** A one-line description for plans and reports. */
    String summary();

    /** The thing does not exist; apply creates it. */
    record Absent(String detail) implements Observation {
        @Override
        public String summary() {
            return "absent: " + detail;
        }
    }

    /** The thing matches the desired state; apply is not called and nothing is written. */
    record UpToDate(String detail) implements Observation {
        @Override
        public String summary() {
            return detail;
        }
    }

    /** The thing exists but differs; each difference is a plain-English sentence. */
    record Drifted(List<String> differences) implements Observation {
        public Drifted {
            differences = List.copyOf(differences);
        }

        @Override
        public String summary() {
            return String.join("; ", differences);
        }
    }

    /**
     * Only people can put this right (register a passkey, run the validation drill, change a policy breakglass must
     * not touch): reported as {@link CheckStatus#Failed}, apply is not called, and remediation does not start a run
     * for it, which would change nothing and start again at the next verification.
     */
    record AwaitingPeople(String detail) implements Observation {
        @Override
        public String summary() {
            return detail;
        }
    }

    /**
     * The step does not apply to this configuration (e.g. monitoring when no workspace is set): reported as
     * {@link CheckStatus#Skipped} with the reason, and apply is not called. Only what the operator chose may skip a
     * check: a setting, a licence or permission the check names as optional (the validation drill without Entra ID P1
     * or {@code AuditLog.Read.All}, with a CamelCase reason first), or a documented grant the deployment cannot make
     * (the tenant-scope Entra diagnostic-settings role, named in the reason); any other "could not read" is
     * {@link Unknown}.
     */
    record Skipped(String reason) implements Observation {
        @Override
        public String summary() {
            return "skipped: " + reason;
        }
    }

    /** The state could not be determined (permission, outage, prerequisite missing); never treated as up to date. */
    record Unknown(String reason) implements Observation {
        @Override
        public String summary() {
            return "unknown: " + reason;
        }
    }
}

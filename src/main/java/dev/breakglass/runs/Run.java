package dev.breakglass.runs;

import java.time.Instant;

/**
 * A provisioning run as stored: no secret, no principal, nothing a caller chose beyond its reason.
 *
 * @param generation bumped when a run is restarted; messages of an older generation are dropped
 * @param failedStep the unit of work that failed (e.g. {@code GlobalAdminAssignment/bg01}), or null
 * @param errorCode  the CamelCase reason of the failure, or null
 * @param error      a plain-English message, or null
 */
public record Run(String id, RunStatus status, boolean dryRun, String reason, long generation, Instant createdAt,
        Instant updatedAt, String failedStep, String errorCode, String error) {
}

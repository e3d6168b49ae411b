package dev.breakglass.functions;

import com.microsoft.azure.functions.HttpRequestMessage;
import java.util.Optional;
import java.util.Set;

/**
 * Which caller may see or cancel a run (TESTS.md A9): an authenticated caller only the runs the API handed it (it
 * started or joined them); a run handed to no authenticated caller, and any caller without App Service
 * Authentication, keep the documented rule: the random id is the capability. A refused caller gets the same 404 as
 * for an unknown id, so it cannot tell that the run exists.
 */
final class RunAccess {

    private RunAccess() {
    }

    static boolean mayUse(FunctionsApp app, CallerAuthorization authorization, HttpRequestMessage<?> request,
            String runId) {
        Optional<String> caller = authorization.callerId(request);
        if (caller.isEmpty()) {
            return true;
        }
        Set<String> readers = app.store().readers(runId);
        return readers.isEmpty() || readers.contains(caller.get());
    }
}

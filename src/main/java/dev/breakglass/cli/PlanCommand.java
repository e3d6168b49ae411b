package dev.breakglass.cli;

import dev.breakglass.azure.Engine;
import dev.breakglass.reconcile.Workflow;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Show what apply would change. Reads only; never writes.")
final class PlanCommand extends TenantCommand {

    @Override
    int run() {
        Engine engine = engine();
        List<Workflow.PlannedChange> plan = engine.workflow().plan(engine.spec(), new Progress(err(), false));
        print(Plans.result("plan", plan), Plans.text(plan));
        return plan.stream().anyMatch(Workflow.PlannedChange::changes) ? ExitCodes.NOT_IN_DESIRED_STATE : ExitCodes.OK;
    }
}

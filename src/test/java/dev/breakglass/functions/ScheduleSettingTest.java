package dev.breakglass.functions;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.breakglass.spec.SpecValidationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** E10: a schedule the host would reject fails at start, naming the setting. */
class ScheduleSettingTest {

    @ParameterizedTest
    @ValueSource(strings = {"0 */5 * * *", "hourly", "0 0 * * * * *"})
    void rejectsExpressionsWithoutSixFields(String schedule) {
        assertThatThrownBy(() -> FunctionsApp.validateSchedule(schedule))
                .isInstanceOf(SpecValidationException.class).hasMessageContaining("BREAKGLASS_VERIFY_SCHEDULE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 0 * * * *", "0 */15 * * * *", "30 5 2 * * 1-5"})
    void acceptsSixFieldExpressions(String schedule) {
        assertThatCode(() -> FunctionsApp.validateSchedule(schedule)).doesNotThrowAnyException();
    }
}

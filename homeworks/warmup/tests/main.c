/* The warm-up's reference tests. Fails when no test ran. */
#include "../../../tests/suites.h"
#include "tests.h"

int main(void)
{
    Suite *const suites[] = {suite_warmup(), NULL};
    return hw_run_suites(suites, "warmup reference tests");
}

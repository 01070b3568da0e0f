/* hw_checks: runs a rubric's checks over one submission. Every failure
 * becomes a result with a reason a student understands; nothing aborts. */
#ifndef HW_CHECKS_H
#define HW_CHECKS_H

#include "../results/results.h"

/* Grades sub (taking ownership of it) by r. <0 only when out of memory. */
int hw_checks_grade(const hw_rubric *r, hw_submission *sub, hw_grade **out, hw_err *e);

#endif

/* HW1's reference table: every name its rubric's call checks look up
 * (basics.*, nn.*, optim.*, lazy.*, theory.*). */
#ifndef REF_HW1_TABLE_H
#define REF_HW1_TABLE_H

#include "../../../ref/registry.h"

extern const ref_homework ref_hw1;

#endif

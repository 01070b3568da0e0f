/* The warm-up's reference table: the names its rubric's call checks use. */
#ifndef REF_WARMUP_TABLE_H
#define REF_WARMUP_TABLE_H

#include "../../../ref/registry.h"

extern const ref_homework ref_warmup;

#endif

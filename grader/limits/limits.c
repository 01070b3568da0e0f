#include "limits.h"

void hw_limits_default(hw_limits *l)
{
    l->max_archive_bytes = 256u << 20;
    l->max_entry_bytes = 64u << 20;
    l->max_total_bytes = 128u << 20;
    l->max_entries = 5000;
    l->max_ratio = 200;
    l->max_nesting = 1;
    l->max_dir_depth = 32;
    l->max_json_depth = 256;
    l->submission_budget_s = 600;
}

/* libFuzzer: notebook JSON through the parser and the printed-output reader. */
#include <stdint.h>
#include <stdlib.h>

#include "../../grader/notebook/notebook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hw_notebook *nb = NULL;
    if (hw_notebook_parse((const char *)data, size, 64, "fuzz.ipynb", &nb, NULL) == 0) {
        for (size_t i = 0; i < nb->ncells; i++)
            free(hw_notebook_cell_printed(&nb->cells[i]));
        hw_notebook_free(nb);
    }
    return 0;
}

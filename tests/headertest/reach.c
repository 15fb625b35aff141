/* The CLI's include path must not reach the library's internals: this file
 * must fail to compile with only core/include on the path. */
#include "base/error.h"

int main(void)
{
    return 0;
}

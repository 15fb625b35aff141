/* kodbok.h must compile on its own, as strict C11, with no other header. */
#include "kodbok.h"

int main(void)
{
    kb_import_options o = KB_IMPORT_OPTIONS_INIT;
    return (int)o.version - KB_IMPORT_OPTIONS_VERSION;
}

/* synthetic: ids of generated benchmark data shared by the REST services. */
#include "synthetic.h"

void synthetic_customer_id(int n, char out[SYNTHETIC_CUSTOMER_ID_SIZE])
{
    static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    out[0] = 'G';
    for (int i = 4; i >= 1; i--, n /= 36)
        out[i] = digits[n % 36];
    out[5] = '\0';
}

/*
 * synthetic: the identities of the synthetic data that --seed-scale
 * generates. customer-api and finance-api both derive them from the same
 * index, so the orders finance-api generates belong to the customers
 * customer-api generates.
 */
#ifndef FANTACO_SYNTHETIC_H
#define FANTACO_SYNTHETIC_H

/* Room for a synthetic customer id and its NUL. */
#define SYNTHETIC_CUSTOMER_ID_SIZE 6

/* The largest index with an id of its own (36^4 - 1). */
#define SYNTHETIC_CUSTOMER_MAX 1679615

/*
 * Writes the id of synthetic customer n: 'G' and n in four upper-case
 * base-36 digits ("G0000", "G0001", ... "GZZZZ"). n must be in
 * [0, SYNTHETIC_CUSTOMER_MAX].
 */
void synthetic_customer_id(int n, char out[SYNTHETIC_CUSTOMER_ID_SIZE]);

#endif

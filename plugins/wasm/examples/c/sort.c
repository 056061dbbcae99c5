// sort: reads little-endian u32 words from stdin, sorts them with qsort, and writes
// them back (little endian) to stdout. Exits with status 1 if the input is not a whole
// number of words.
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

static int cmp(const void *a, const void *b) {
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

int main(void) {
	size_t cap = 256, n = 0;
	uint8_t *buf = malloc(cap);
	for (;;) {
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
		}
		ssize_t k = read(0, buf + n, cap - n);
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	if (n % 4 != 0)
		return 1;
	size_t words = n / 4;
	uint32_t *v = malloc(words * sizeof *v + 1);
	for (size_t i = 0; i < words; i++)
		v[i] = (uint32_t)buf[4 * i] | (uint32_t)buf[4 * i + 1] << 8 | (uint32_t)buf[4 * i + 2] << 16 | (uint32_t)buf[4 * i + 3] << 24;
	qsort(v, words, sizeof *v, cmp);
	write(1, v, words * sizeof *v); // wasm32 is little endian
	return 0;
}

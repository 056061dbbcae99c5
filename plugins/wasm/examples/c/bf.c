// bf: a Brainfuck interpreter. The input is a program, then a '!' byte, then the
// program's own input; the program's output goes to stdout. Brackets are matched once
// before running; the tape has 30000 cells of one byte that wrap; reading past the end
// of the input leaves the cell unchanged. Exits with status 2 on unbalanced brackets.
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#define TAPE 30000

int main(void) {
	size_t cap = 1024, n = 0;
	char *src = malloc(cap);
	for (;;) {
		if (n == cap) {
			cap *= 2;
			src = realloc(src, cap);
		}
		ssize_t k = read(0, src + n, cap - n);
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	size_t plen = 0;
	while (plen < n && src[plen] != '!')
		plen++;
	const char *in = src + plen + 1;
	size_t inlen = plen < n ? n - plen - 1 : 0, inpos = 0;

	int *jump = malloc(plen * sizeof *jump + 1);
	int *stack = malloc(plen * sizeof *stack + 1);
	int sp = 0;
	for (size_t i = 0; i < plen; i++) {
		if (src[i] == '[')
			stack[sp++] = (int)i;
		else if (src[i] == ']') {
			if (sp == 0)
				return 2;
			int j = stack[--sp];
			jump[i] = j;
			jump[j] = (int)i;
		}
	}
	if (sp != 0)
		return 2;

	static uint8_t tape[TAPE];
	static char out[4096];
	size_t outn = 0, p = 0;
	for (size_t pc = 0; pc < plen; pc++) {
		switch (src[pc]) {
		case '>': p = p + 1 == TAPE ? 0 : p + 1; break;
		case '<': p = p == 0 ? TAPE - 1 : p - 1; break;
		case '+': tape[p]++; break;
		case '-': tape[p]--; break;
		case '.':
			out[outn++] = (char)tape[p];
			if (outn == sizeof out) {
				write(1, out, outn);
				outn = 0;
			}
			break;
		case ',': if (inpos < inlen) tape[p] = (uint8_t)in[inpos++]; break; // EOF: unchanged
		case '[': if (tape[p] == 0) pc = (size_t)jump[pc]; break;
		case ']': if (tape[p] != 0) pc = (size_t)jump[pc]; break;
		}
	}
	write(1, out, outn);
	return 0;
}

#include <string.h>

void f(char *dst, const char *src)
{
	strcpy(dst, src); // sdl-allow(banned-function): dst is sized by the caller
	/* sdl-allow(banned-function, format-string): both reviewed in SEC-42 */
	strcat(dst, src);
	// sdl-allow(banned-function)
	sprintf(dst, "%s", src);
	/*
	 * sdl-allow(unknown-rule): stale
	 */
	char *s = "sdl-allow(banned-function): not a comment";
}

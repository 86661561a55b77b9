#include <stdlib.h>
int g(int *p)
{
	int dead = 0;
	dead = 5;
	if (p == NULL)
		return *p;
	return 0;
}

/*
 * Functions our own code must not call: each use becomes a compile error.
 * Include this last, after every system header, in every .c file.
 * Rationale and replacements: docs/development.md ("Banned functions").
 */
#ifndef SDL_BANNED_H
#define SDL_BANNED_H

#define SDL_BANNED(fn) sorry_##fn##_is_banned_see_docs_development_md

#undef strcpy
#define strcpy(x, y) SDL_BANNED(strcpy)
#undef strcat
#define strcat(x, y) SDL_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) SDL_BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) SDL_BANNED(strncat)
#undef sprintf
#define sprintf(...) SDL_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) SDL_BANNED(vsprintf)
#undef gets
#define gets(x) SDL_BANNED(gets)
#undef strtok
#define strtok(x, y) SDL_BANNED(strtok)
#undef atoi
#define atoi(x) SDL_BANNED(atoi)
#undef atol
#define atol(x) SDL_BANNED(atol)
#undef tmpnam
#define tmpnam(x) SDL_BANNED(tmpnam)
#undef mktemp
#define mktemp(x) SDL_BANNED(mktemp)

#endif

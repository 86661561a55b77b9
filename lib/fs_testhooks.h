/*
 * Test-only hooks of the file layer. Production code never sets them; unit
 * tests use them to make races deterministic (a file that shrinks between
 * fstat() and read(), as a concurrent writer or a truncating editor would).
 */
#ifndef SDL_FS_TESTHOOKS_H
#define SDL_FS_TESTHOOKS_H

/*
 * Called by sdl_fs_read_file() and sdl_hash_file() right after the file was
 * opened and fstat()ed, before the first read. NULL (the default) does nothing.
 */
extern void (*sdl_fs_test_after_fstat)(const char *path, int fd);

#endif

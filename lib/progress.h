/*
 * A progress line on stderr, only when stderr is a terminal and the user did
 * not ask for --quiet; silence otherwise, so CI logs stay clean.
 */
#ifndef SDL_PROGRESS_H
#define SDL_PROGRESS_H

/* Decide once whether progress is shown (isatty(stderr) && !quiet). */
void sdl_progress_init(int quiet);
/* 1 if progress lines are being shown. */
int sdl_progress_enabled(void);
/* Redraw the progress line ("\r...\033[K"); no-op when disabled. Thread-safe. */
void sdl_progress_update(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Clear the progress line; no-op when disabled. */
void sdl_progress_done(void);

#endif

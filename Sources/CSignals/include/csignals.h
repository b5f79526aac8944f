#ifndef ATTRITION_CSIGNALS_H
#define ATTRITION_CSIGNALS_H

/* What must happen however the process ends: temporary files of case data removed, and the
   terminal given back. Signal handlers can only do async-signal-safe work, so the paths are
   kept in fixed storage here and the handler calls unlink(2) and write(2) alone. */

/* Remembers a temporary file to remove if a signal ends the process before it is renamed. */
void cs_register_temporary(const char *path);

/* Forgets a temporary file (it was renamed into place or removed). */
void cs_unregister_temporary(const char *path);

/* A function that gives the terminal back (endwin), run by the handler before the process dies. */
void cs_set_terminal_restorer(void (*restore)(void));

/* Bytes written to the terminal when the process is resumed after a stop (Ctrl-Z then fg):
   the sequence that puts the keypad back in the mode the key decoder expects. NULL for none. */
void cs_set_resume_sequence(const char *bytes);

/* Installs the handlers: every signal that ends a process by default removes the registered
   temporaries, restores the terminal, then ends the process by that signal as usual; SIGCONT
   writes the resume sequence. Safe to call more than once. */
void cs_install_handlers(void);

#endif

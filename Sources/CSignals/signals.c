#include "csignals.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

enum { SLOTS = 64, PATH_LIMIT = 4096, SEQUENCE_LIMIT = 64 };

static char paths[SLOTS][PATH_LIMIT];
static volatile sig_atomic_t used[SLOTS];
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;
static void (*volatile restorer)(void);
static char resume_sequence[SEQUENCE_LIMIT];
static volatile sig_atomic_t resume_length;

void cs_register_temporary(const char *path) {
    if (strlen(path) >= PATH_LIMIT) return;
    pthread_mutex_lock(&slots_lock);
    for (int i = 0; i < SLOTS; i++) {
        if (!used[i]) {
            strcpy(paths[i], path);
            used[i] = 1;
            break;
        }
    }
    pthread_mutex_unlock(&slots_lock);
}

void cs_unregister_temporary(const char *path) {
    pthread_mutex_lock(&slots_lock);
    for (int i = 0; i < SLOTS; i++) {
        if (used[i] && strcmp(paths[i], path) == 0) {
            used[i] = 0;
            break;
        }
    }
    pthread_mutex_unlock(&slots_lock);
}

void cs_set_terminal_restorer(void (*restore)(void)) { restorer = restore; }

void cs_set_resume_sequence(const char *bytes) {
    resume_length = 0;
    if (bytes == NULL) return;
    size_t length = strlen(bytes);
    if (length >= SEQUENCE_LIMIT) return;
    memcpy(resume_sequence, bytes, length);
    resume_length = (sig_atomic_t)length;
}

static void end_cleanly(int sig) {
    for (int i = 0; i < SLOTS; i++) {
        if (used[i]) unlink(paths[i]);
    }
    void (*restore)(void) = restorer;
    if (restore) restore();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void resumed(int sig) {
    (void)sig;
    if (resume_length > 0) {
        ssize_t ignored = write(STDOUT_FILENO, resume_sequence, (size_t)resume_length);
        (void)ignored;
    }
}

void cs_install_handlers(void) {
    static const int ending[] = {
        SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ,
        SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS,
    };
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = end_cleanly;
    sigemptyset(&action.sa_mask);
    /* A parent may have left signals blocked (the mask survives exec): unblock them, or they would wait forever. */
    sigset_t unblock;
    sigemptyset(&unblock);
    for (unsigned i = 0; i < sizeof ending / sizeof ending[0]; i++) {
        sigaction(ending[i], &action, NULL);
        sigaddset(&unblock, ending[i]);
    }
    sigaddset(&unblock, SIGCONT);
    pthread_sigmask(SIG_UNBLOCK, &unblock, NULL);
    struct sigaction resume;
    memset(&resume, 0, sizeof resume);
    resume.sa_handler = resumed;
    resume.sa_flags = SA_RESTART;
    sigemptyset(&resume.sa_mask);
    sigaction(SIGCONT, &resume, NULL);
}

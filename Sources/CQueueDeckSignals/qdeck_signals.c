#include <signal.h>
#include <string.h>
#include "qdeck_signals.h"

static volatile sig_atomic_t pending = 0;

static void note(int signal) { pending = signal; }

void qdeck_catch_signals(const int *signals, int count) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = note;
    sigemptyset(&action.sa_mask);
    sigset_t unblock;
    sigemptyset(&unblock);
    for (int i = 0; i < count; i++) {
        sigaction(signals[i], &action, 0);
        sigaddset(&unblock, signals[i]);
    }
    // A parent may have left them blocked (the mask survives exec).
    pthread_sigmask(SIG_UNBLOCK, &unblock, 0);
}

int qdeck_pending_signal(void) { return pending; }

static volatile sig_atomic_t reload = 0;

static void note_reload(int signal) { (void)signal; reload = 1; }

void qdeck_catch_reload(int signal) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = note_reload;
    sigemptyset(&action.sa_mask);
    sigaction(signal, &action, 0);
    sigset_t unblock;
    sigemptyset(&unblock);
    sigaddset(&unblock, signal);
    pthread_sigmask(SIG_UNBLOCK, &unblock, 0);
}

int qdeck_take_reload(void) {
    if (!reload) return 0;
    reload = 0;
    return 1;
}

void qdeck_set_pending_signal(int signal) { pending = signal; }

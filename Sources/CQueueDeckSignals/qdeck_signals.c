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

void qdeck_set_pending_signal(int signal) { pending = signal; }

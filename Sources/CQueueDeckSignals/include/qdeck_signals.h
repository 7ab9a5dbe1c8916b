#ifndef QDECK_SIGNALS_H
#define QDECK_SIGNALS_H
/// The one way qdeck notes that it was asked to stop: a handler that only stores the signal's
/// number in a `volatile sig_atomic_t` (async-signal-safe, which a Swift closure touching Swift
/// storage is not), read by the main loop.
void qdeck_catch_signals(const int *signals, int count);
int qdeck_pending_signal(void);
void qdeck_set_pending_signal(int signal);
/// A signal that asks a long-running process to read its configuration again (SIGHUP for
/// `qdeck automate`), noted apart from the stop signals so that a stop arriving with it is never lost.
void qdeck_catch_reload(int signal);
/// 1 once after the reload signal came, else 0.
int qdeck_take_reload(void);
#endif

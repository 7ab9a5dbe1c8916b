#ifndef QDECK_SIGNALS_H
#define QDECK_SIGNALS_H
/// The one way qdeck notes that it was asked to stop: a handler that only stores the signal's
/// number in a `volatile sig_atomic_t` (async-signal-safe, which a Swift closure touching Swift
/// storage is not), read by the main loop.
void qdeck_catch_signals(const int *signals, int count);
int qdeck_pending_signal(void);
void qdeck_set_pending_signal(int signal);
#endif

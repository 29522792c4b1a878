#pragma once
// Time as plain seconds, in one place: wall-clock seconds for what other processes and hosts
// read (claims, status files, event logs), steady seconds for rates and ETAs.

namespace regnet {

// Seconds since the Unix epoch (system clock).
double unix_seconds();
// Seconds on the steady clock (any origin): for measuring intervals.
double steady_seconds();

}  // namespace regnet

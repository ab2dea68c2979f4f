// Thread-safety annotations in the form Clang's -Wthread-safety reads
// (Abseil's thread_annotations.h is the model): a member says which mutex
// guards it, so the rule is in the code rather than in a comment. They
// expand to nothing under GCC, which has no such analysis.
//
// Note: with libstdc++, std::mutex carries no `capability` attribute, so a
// Clang build that turns -Wthread-safety on also needs an annotated mutex
// type; until the code moves to one, the annotations document and are
// checked by review only.
#pragma once

#if defined(__clang__)
#define HITLGATE_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define HITLGATE_THREAD_ANNOTATION(x)
#endif

// The member is read and written only while `mu` is held.
#define HITLGATE_GUARDED_BY(mu) HITLGATE_THREAD_ANNOTATION(guarded_by(mu))
// The pointee is read and written only while `mu` is held.
#define HITLGATE_PT_GUARDED_BY(mu) HITLGATE_THREAD_ANNOTATION(pt_guarded_by(mu))
// The function must be called with `mu` held.
#define HITLGATE_REQUIRES(...) HITLGATE_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))

/* Symbol visibility for the public API. The library is built with
 * -fvisibility=hidden, so only declarations marked SCALEKIT_API are exported. */
#ifndef SCALEKIT_EXPORT_H
#define SCALEKIT_EXPORT_H

#if defined(_WIN32)
#  define SCALEKIT_API __declspec(dllexport)
#elif defined(__GNUC__)
#  define SCALEKIT_API __attribute__((visibility("default")))
#else
#  define SCALEKIT_API
#endif

#ifdef __cplusplus
#  define SCALEKIT_BEGIN_DECLS extern "C" {
#  define SCALEKIT_END_DECLS }
#else
#  define SCALEKIT_BEGIN_DECLS
#  define SCALEKIT_END_DECLS
#endif

/* The body of every SCALEKIT_<TYPE>_INIT macro: struct_size set, every other
 * member zero. Designated in C, so -Wmissing-field-initializers stays quiet. */
#ifdef __cplusplus
#  define SCALEKIT_STRUCT_INIT(type) { sizeof(type) }
#else
#  define SCALEKIT_STRUCT_INIT(type) { .struct_size = sizeof(type) }
#endif

#endif

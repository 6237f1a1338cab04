/*
 * CHECK-ONLY. NEVER SHIP A DLL LINKED WITH THIS FILE.
 *
 * A stand-in for the few MSVC C-runtime symbols that NativeAOT's Windows runtime libraries expect, so that
 * scripts/wine/cross-link-plugin.sh can link the plugin's Windows object (made by ILC on Linux) with lld-link and
 * mingw-w64 import libraries, and scripts/wine-check.sh can load it under Wine. It deliberately does less than
 * Microsoft's runtime:
 *   - no stack cookie: __security_cookie is a constant and __security_check_cookie/__GSHandlerCheck check nothing;
 *   - no control-flow guard: indirect calls are dispatched without a check;
 *   - math and operator new/delete go straight to ucrtbase.dll;
 *   - atexit registers nothing (the plugin pins itself and is never unloaded).
 * A DLL built this way checks our Windows code paths (exports, COM encodings, processing, state, the pipe); the
 * product is built by `dotnet publish plugin/AceStep.Plugin` on Windows with MSVC (docs/windows.md).
 *
 * Compiled with x86_64-w64-mingw32-gcc -c (no mingw start-up code is linked: lld-link gets only this object).
 */
#include <windows.h>
#include <stddef.h>
#include <stdint.h>

/* ---- DLL start-up: the C and C++ initializers (.CRT$XI*, .CRT$XC*), then NativeAOT's DllMain ---------------- */

typedef void(__cdecl *crt_vfn)(void);
typedef int(__cdecl *crt_ifn)(void);

/* The linker sorts grouped sections by the name after '$', so these bracket what the objects put between them. */
__attribute__((section(".CRT$XIA"), used)) crt_ifn xi_a = 0;
__attribute__((section(".CRT$XIZ"), used)) crt_ifn xi_z = 0;
__attribute__((section(".CRT$XCA"), used)) crt_vfn xc_a = 0;
__attribute__((section(".CRT$XCZ"), used)) crt_vfn xc_z = 0;
__attribute__((section(".CRT$XDA"), used)) crt_vfn xd_a = 0;
__attribute__((section(".CRT$XDZ"), used)) crt_vfn xd_z = 0;

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved);

BOOL WINAPI _DllMainCRTStartup(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    if (reason == DLL_PROCESS_ATTACH)
    {
        for (crt_ifn *f = &xi_a + 1; f < &xi_z; f++)
            if (*f && (*f)() != 0)
                return FALSE;
        for (crt_vfn *f = &xc_a + 1; f < &xc_z; f++)
            if (*f)
                (*f)();
    }
    return DllMain(instance, reason, reserved);
}

/* ---- Native thread-local storage (what MSVC's tlssup/tlsdyn provide) ---------------------------------------- */

ULONG _tls_index = 0;
/* ".tls" sorts before the objects' ".tls$" parts and ".tls$ZZZ" after them. */
__attribute__((section(".tls"), used)) char _tls_start = 0;
__attribute__((section(".tls$ZZZ"), used)) char _tls_end = 0;
/* MSVC's per-thread "dynamic thread_local initializers have run" flag; the runtime's code reads it directly. */
__attribute__((section(".tls$"), used)) char __tls_guard = 0;

static char *tls_guard_of_this_thread(void)
{
    char **blocks; /* TEB.ThreadLocalStoragePointer */
    __asm__("movq %%gs:0x58, %0" : "=r"(blocks));
    return blocks[_tls_index] + (&__tls_guard - &_tls_start);
}

void NTAPI __dyn_tls_init(PVOID instance, DWORD reason, PVOID reserved)
{
    (void)instance;
    (void)reserved;
    if (reason != DLL_THREAD_ATTACH)
        return;
    char *guard = tls_guard_of_this_thread();
    if (*guard)
        return;
    *guard = 1;
    for (crt_vfn *f = &xd_a + 1; f < &xd_z; f++)
        if (*f)
            (*f)();
}

void __dyn_tls_on_demand_init(void) { __dyn_tls_init(NULL, DLL_THREAD_ATTACH, NULL); }

__attribute__((section(".CRT$XLA"), used)) PIMAGE_TLS_CALLBACK xl_a = 0;
__attribute__((section(".CRT$XLC"), used)) PIMAGE_TLS_CALLBACK xl_dyn = (PIMAGE_TLS_CALLBACK)__dyn_tls_init;
__attribute__((section(".CRT$XLZ"), used)) PIMAGE_TLS_CALLBACK xl_z = 0;

/* lld-link fills the image's TLS directory from this symbol. */
__attribute__((section(".rdata$T"), used)) const IMAGE_TLS_DIRECTORY64 _tls_used = {
    (ULONGLONG)&_tls_start, (ULONGLONG)&_tls_end, (ULONGLONG)&_tls_index, (ULONGLONG)(&xl_a + 1), 0, 0};

/* ---- Security cookie and control-flow guard: deliberately NOT checked (check-only build) --------------------- */

uintptr_t __security_cookie = 0x00002B992DDFA232ull;
void __security_check_cookie(uintptr_t cookie) { (void)cookie; }

EXCEPTION_DISPOSITION __GSHandlerCheck(PEXCEPTION_RECORD record, PVOID frame, PCONTEXT context, PVOID dispatcher)
{
    (void)record;
    (void)frame;
    (void)context;
    (void)dispatcher;
    return ExceptionContinueSearch;
}

/* The CFG dispatcher is called with the target in rax: jump there unchecked. */
__asm__(".text\n.globl acestep_check_dispatch_icall\nacestep_check_dispatch_icall:\n\tjmp *%rax\n");
void acestep_check_dispatch_icall(void);
void *__guard_dispatch_icall_fptr = (void *)acestep_check_dispatch_icall;

int _fltused = 0x9875;

/* ---- ucrtbase.dll functions whose mingw-w64 import library has only the __imp_ pointer ---------------------- */

#define UCRT_FORWARD_1(name)                                                                                      \
    extern double (*__imp_##name)(double);                                                                        \
    double name(double x) { return __imp_##name(x); }
UCRT_FORWARD_1(ceil)
UCRT_FORWARD_1(cos)
UCRT_FORWARD_1(floor)
UCRT_FORWARD_1(log)
UCRT_FORWARD_1(sin)
extern double (*__imp_modf)(double, double *);
double modf(double x, double *integral) { return __imp_modf(x, integral); }

extern void *(*__imp_malloc)(size_t);
extern void (*__imp_free)(void *);

/* MSVC C++ names: std::nothrow, operator new(size_t, nothrow_t const&), operator new[](size_t, nothrow_t const&), operator delete(void*, size_t),
   operator delete[](void*). */
const char acestep_check_nothrow __asm__("\"?nothrow@std@@3Unothrow_t@1@B\"") = 0;
void *acestep_check_new_array_nothrow(size_t size, const void *tag) __asm__("\"??_U@YAPEAX_KAEBUnothrow_t@std@@@Z\"");
void *acestep_check_new_array_nothrow(size_t size, const void *tag)
{
    (void)tag;
    return __imp_malloc(size ? size : 1);
}
void *acestep_check_new_nothrow(size_t size, const void *tag) __asm__("\"??2@YAPEAX_KAEBUnothrow_t@std@@@Z\"");
void *acestep_check_new_nothrow(size_t size, const void *tag)
{
    (void)tag;
    return __imp_malloc(size ? size : 1);
}
void acestep_check_delete_sized(void *p, size_t size) __asm__("\"??3@YAXPEAX_K@Z\"");
void acestep_check_delete_sized(void *p, size_t size)
{
    (void)size;
    __imp_free(p);
}
void acestep_check_delete_array(void *p) __asm__("\"??_V@YAXPEAX@Z\"");
void acestep_check_delete_array(void *p) { __imp_free(p); }

extern size_t (*__imp_strnlen)(const char *, size_t);
size_t strnlen(const char *s, size_t max) { return __imp_strnlen(s, max); }

/* In an MSVC DLL, atexit registers for the DLL's unload; the plugin pins itself and is never unloaded. */
int atexit(void (*fn)(void))
{
    (void)fn;
    return 0;
}

/* Stack probe for frames over a page: size in rax, touch each page below rsp in order (so the guard page moves
   down), all registers preserved. */
__asm__(".text\n.globl __chkstk\n__chkstk:\n"
        "\tpushq %rcx\n\tpushq %rax\n\tleaq 24(%rsp), %rcx\n"
        "\tcmpq $0x1000, %rax\n\tjb 2f\n"
        "1:\tsubq $0x1000, %rcx\n\torq $0, (%rcx)\n\tsubq $0x1000, %rax\n\tcmpq $0x1000, %rax\n\tja 1b\n"
        "2:\tsubq %rax, %rcx\n\torq $0, (%rcx)\n"
        "\tpopq %rax\n\tpopq %rcx\n\tret\n");

/* What MSVC's range checks call on an out-of-range index: end the process as the real one does. */
void __report_rangecheckfailure(void) { RaiseFailFastException(NULL, NULL, 0); }

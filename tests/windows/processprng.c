/* Test-only stand-in for Windows' bcryptprimitives.dll, built by tests/windows/wine-env with
 * mingw and put into the test Wine prefix's system32 — never beside an executable we ship.
 *
 * Rust's std (1.78+) draws its random numbers (HashMap keys) from ProcessPrng in
 * bcryptprimitives.dll, which Windows 10 and 11 have and Debian's Wine 8 lacks: without it
 * every Rust program fails to start under that Wine. Wine does have BCryptGenRandom, so this
 * DLL forwards to it, in chunks because ProcessPrng takes a SIZE_T and BCryptGenRandom a
 * ULONG. ProcessPrng "always returns TRUE" on Windows; here a failure returns FALSE, which
 * std turns into a panic instead of silently weak keys. */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}

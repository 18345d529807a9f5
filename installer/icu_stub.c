/* A stand-in for Windows' system icuuc.dll, for the Wine check build only (never shipped).
 *
 * Qt6Core.dll (PySide6 6.12 for Windows) imports about 20 ucnv_* functions from the ICU that
 * Windows 10 1703+ carries in system32; Wine has no icuuc.dll, so Qt6Core would not load at all.
 * These stubs let it load: opening a converter fails (QStringConverter then knows only the
 * encodings it implements itself: UTF-8/16/32, Latin-1, the system code page), everything else
 * reports nothing. Built by installer/build_windows_wine.sh with
 *   x86_64-w64-mingw32-gcc -shared -O2 -o icuuc.dll icu_stub.c
 * and copied into the Wine prefix's system32. On a real Windows the system's ICU is used.
 */
#include <stddef.h>

#define U_FILE_ACCESS_ERROR 4
#define STUB(name) __declspec(dllexport) long long name(void) { return 0; }

__declspec(dllexport) void *ucnv_open(const char *name, int *err)
{
    (void)name;
    if (err && *err <= 0)
        *err = U_FILE_ACCESS_ERROR;
    return NULL;
}

__declspec(dllexport) void ucnv_close(void *conv) { (void)conv; }
__declspec(dllexport) void UCNV_FROM_U_CALLBACK_SUBSTITUTE(void) {}
__declspec(dllexport) void UCNV_TO_U_CALLBACK_SUBSTITUTE(void) {}
__declspec(dllexport) void ucnv_reset(void *conv) { (void)conv; }
STUB(ucnv_getMaxCharSize)
STUB(ucnv_getName)
STUB(ucnv_getToUCallBack)
STUB(ucnv_getFromUCallBack)
STUB(ucnv_setToUCallBack)
STUB(ucnv_setFromUCallBack)
STUB(ucnv_cbToUWriteUChars)
STUB(ucnv_toUnicode)
STUB(ucnv_cbFromUWriteUChars)
STUB(ucnv_toUCountPending)
STUB(ucnv_fromUCountPending)
STUB(ucnv_getStandardName)
STUB(ucnv_getAvailableName)
STUB(ucnv_countAvailable)
STUB(ucnv_fromUnicode)

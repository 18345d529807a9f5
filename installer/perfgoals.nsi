; PerfGoals (绩效目标编报) — Windows installer (NSIS 3, Unicode, Simplified Chinese UI).
;
;   makensis -INPUTCHARSET UTF8 /DVERSION=0.1.0 /DDISTDIR=<dist\PerfGoals> /DOUTFILE=<setup.exe> installer\perfgoals.nsi
;
; * Per-user install without administrator rights by default, into
;   %LOCALAPPDATA%\Programs\PerfGoals (C:\PerfGoals when that path is not ASCII, e.g. a Chinese
;   user name — Qt cannot load its plugins from some non-ASCII paths, PITFALLS 1.6).
; * Option: all users, into C:\Program Files\PerfGoals; the installer restarts itself with
;   administrator rights (UAC) only when this is chosen.
; * Upgrading in place: the previous install (HKCU or HKLM "Software\PerfGoals") is detected and
;   replaced in the same folder. The user's data (%LOCALAPPDATA%\PerfGoals: perfgoals.db and
;   backups\) is never touched by install or upgrade, and removed by the uninstaller only when
;   the user ticks "删除我的数据".
; * Command line: /S silent, /ALLUSERS or /CURRENTUSER, /D=C:\Path (last, no quotes);
;   uninstall.exe /S keeps the data, uninstall.exe /S /REMOVEDATA deletes it too.
; * Windows 10 1809 (build 17763) or later, 64-bit: the floor of Qt 6 (PITFALLS 1.2).
;
; On Linux, installer/build_linux.sh compiles this script against the Linux bundle only to
; check it (/DCHECK_ONLY): that installer is not a usable Windows payload.

Unicode true
; A 64-bit installer where makensis has amd64 stubs (Debian's nsis package does). The official
; Windows NSIS build (choco/runner image) ships x86 stubs only: then a 32-bit installer, which
; installs the same 64-bit program (paths via $PROGRAMFILES64, registry via SetRegView 64).
!ifdef FORCE_X86
  Target x86-unicode
!else if /FileExists "${NSISDIR}\Stubs\lzma_solid-amd64-unicode"
  Target amd64-unicode
!else
  Target x86-unicode
!endif
ManifestDPIAware true
RequestExecutionLevel user ; elevation only for "all users", by restarting (see ModePageLeave)

!define APP_NAME "PerfGoals"
!define APP_TITLE "绩效目标编报"
!define PUBLISHER "PerfGoals"
!define GUI_EXE "PerfGoals.exe"
!define CLI_EXE "perfgoals-cli.exe"
!define REG_APP "Software\PerfGoals"
!define REG_UNINST "Software\Microsoft\Windows\CurrentVersion\Uninstall\PerfGoals"
!define DATA_DIR_NAME "PerfGoals" ; %LOCALAPPDATA%\PerfGoals (platformdirs, app/services/storage/store.py)
!define MIN_WIN_BUILD 17763       ; Windows 10 1809
; Characters allowed in the install path (ASCII only; "$" left out on purpose).
!define ASCII_PATH_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 :\._-()+,;=[]{}!@#%&'~"

!ifndef VERSION
  !error "Pass /DVERSION=x.y.z (app.__version__); the build scripts do"
!endif
!define /ifndef VERSION4 "${VERSION}.0"
!define /ifndef DISTDIR "..\dist\PerfGoals"
!define /ifndef OUTFILE "..\dist\PerfGoals-${VERSION}-win64-setup.exe"
!define /ifndef ICON "..\resources\icons\perfgoals.ico"

!ifndef CHECK_ONLY
  !if ! /FileExists "${DISTDIR}\${GUI_EXE}"
    !error "${DISTDIR}\${GUI_EXE} not found: build the Windows bundle first (pyinstaller installer\perfgoals.spec)"
  !endif
!endif

Name "${APP_TITLE}"
Caption "${APP_TITLE} ${VERSION} 安装程序"
BrandingText "${APP_TITLE} ${VERSION}"
OutFile "${OUTFILE}"
SetCompressor /SOLID lzma
SetCompressorDictSize 64
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VERSION4}"
VIFileVersion "${VERSION4}"
VIAddVersionKey /LANG=2052 "ProductName" "${APP_TITLE} (PerfGoals)"
VIAddVersionKey /LANG=2052 "FileDescription" "${APP_TITLE} 安装程序"
VIAddVersionKey /LANG=2052 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "${PUBLISHER}"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "nsDialogs.nsh"
!include "FileFunc.nsh"
!include "WinVer.nsh"
!include "x64.nsh"

Var InstallMode   ; CurrentUser | AllUsers
Var Upgrade       ; 1 when a previous install was found (then mode and folder are kept)
Var SkipModePage  ; 1 when the mode is fixed (command line, restarted elevated, upgrade)
Var RadioUser
Var RadioAll

; ---------------------------------------------------------------- interface
!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_ABORTWARNING_TEXT "确定要退出${APP_TITLE}的安装吗？"
!define MUI_UNABORTWARNING

!define MUI_WELCOMEPAGE_TITLE "欢迎安装${APP_TITLE} ${VERSION}"
!define MUI_WELCOMEPAGE_TEXT "本程序将在这台电脑上安装${APP_TITLE}：编报、校验和导出部门预算绩效目标的离线工具。$\r$\n$\r$\n安装不需要联网；默认只为当前用户安装，不需要管理员权限。$\r$\n$\r$\n如果已安装旧版本，将在原位置升级，已录入的数据会保留。$\r$\n$\r$\n点击“下一步”继续。"
!insertmacro MUI_PAGE_WELCOME
Page custom ModePage ModePageLeave
!define MUI_PAGE_CUSTOMFUNCTION_PRE DirectoryPagePre
!define MUI_DIRECTORYPAGE_TEXT_TOP "将把${APP_TITLE}安装到下面的文件夹。$\r$\n路径中只能有英文字母、数字和常用符号（不能有中文），否则程序可能无法启动。数据不保存在这里，而是在每位用户自己的文件夹 %LOCALAPPDATA%\${DATA_DIR_NAME} 中。"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${GUI_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "立即启动${APP_TITLE}"
!define MUI_PAGE_CUSTOMFUNCTION_SHOW FinishPageShow
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!define MUI_COMPONENTSPAGE_TEXT_TOP "将删除程序文件和快捷方式。您的数据默认保留（重新安装后仍在）；只有勾选“同时删除我的数据”才会删除。"
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "SimpChinese"

; ---------------------------------------------------------------- helpers
; Push a path; returns "1" when every character is in ASCII_PATH_CHARS, else "0".
Function IsAsciiPath
  Exch $0
  Push $1
  Push $2
  Push $3
  Push $4
  Push $5
  StrCpy $5 1
  StrCpy $1 0
  char_loop:
    StrCpy $2 $0 1 $1
    StrCmp $2 "" done
    StrCpy $3 0
    allowed_loop:
      StrCpy $4 "${ASCII_PATH_CHARS}" 1 $3
      StrCmp $4 "" not_ascii
      StrCmpS $4 $2 next_char
      IntOp $3 $3 + 1
      Goto allowed_loop
    next_char:
    IntOp $1 $1 + 1
    Goto char_loop
  not_ascii:
    StrCpy $5 0
  done:
  StrCpy $0 $5
  Pop $5
  Pop $4
  Pop $3
  Pop $2
  Pop $1
  Exch $0
FunctionEnd

; Delete a program file; while the program runs Windows refuses, so ask the user to close it.
!macro DeleteProgramFile FILE
  !define _DPF_ID ${__LINE__}
  retry_${_DPF_ID}:
  ClearErrors
  Delete "${FILE}"
  ${If} ${Errors}
  ${AndIf} ${FileExists} "${FILE}"
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${APP_TITLE}正在运行。请先保存并关闭程序，然后点击“重试”。" /SD IDCANCEL IDRETRY retry_${_DPF_ID}
    Abort "已取消：${APP_TITLE}正在运行"
  ${EndIf}
  !undef _DPF_ID
!macroend

; Restart this exe with administrator rights (UAC); "1" on the stack when it started.
!macro RunElevated EXE PARAMS
  System::Call 'shell32::ShellExecuteW(p $HWNDPARENT, w "runas", w "${EXE}", w "${PARAMS}", p 0, i 1) i .r9'
  ${If} $9 > 32
    Push 1
  ${Else}
    Push 0
  ${EndIf}
!macroend

!macro IsElevated RESULT
  UserInfo::GetAccountType
  Pop ${RESULT}
!macroend

Function SetCurrentUser
  StrCpy $InstallMode "CurrentUser"
  SetShellVarContext current
FunctionEnd

Function SetAllUsers
  StrCpy $InstallMode "AllUsers"
  SetShellVarContext all
FunctionEnd

; The default folder of the chosen mode (an ASCII path; see the header).
Function DefaultInstDir
  ${If} $InstallMode == "AllUsers"
    StrCpy $INSTDIR "$PROGRAMFILES64\${APP_NAME}"
    Return
  ${EndIf}
  GetKnownFolderPath $0 {5CD7AEE2-2219-4A67-B85D-6C9CE15660CB} ; FOLDERID_UserProgramFiles
  ${If} $0 == ""
    StrCpy $0 "$LOCALAPPDATA\Programs"
  ${EndIf}
  StrCpy $0 "$0\${APP_NAME}"
  Push $0
  Call IsAsciiPath
  Pop $1
  ${If} $1 != 1
    StrCpy $0 $WINDIR 2 ; the system drive, e.g. "C:"
    StrCpy $0 "$0\${APP_NAME}"
  ${EndIf}
  StrCpy $INSTDIR $0
FunctionEnd

; ---------------------------------------------------------------- installer
Function .onInit
  ${IfNot} ${RunningX64}
  ${OrIfNot} ${AtLeastBuild} ${MIN_WIN_BUILD}
    MessageBox MB_OK|MB_ICONSTOP "${APP_TITLE}需要64位的Windows 10（1809版或更高）或Windows 11。$\r$\nWindows 7、8和32位系统不受支持。" /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64

  StrCpy $Upgrade 0
  StrCpy $SkipModePage 0
  StrCpy $0 $INSTDIR ; set only by /D=
  ; The installed version, if any (upgrade in place: same mode and folder).
  ReadRegStr $1 HKCU "${REG_APP}" "InstallDir"
  ${IfNot} ${FileExists} "$1\${GUI_EXE}"
    StrCpy $1 ""
  ${EndIf}
  ReadRegStr $2 HKLM "${REG_APP}" "InstallDir"
  ${IfNot} ${FileExists} "$2\${GUI_EXE}"
    StrCpy $2 ""
  ${EndIf}
  ${GetParameters} $R0
  StrCpy $5 ""
  ClearErrors
  ${GetOptions} $R0 "/ALLUSERS" $R1
  ${IfNot} ${Errors}
    StrCpy $5 "AllUsers"
  ${Else}
    ClearErrors
    ${GetOptions} $R0 "/CURRENTUSER" $R1
    ${IfNot} ${Errors}
      StrCpy $5 "CurrentUser"
    ${EndIf}
  ${EndIf}

  ; Mode: the command line's, else the installed version's (per user wins), else per user.
  StrCpy $6 "CurrentUser"
  ${If} $5 == "AllUsers"
    StrCpy $6 "AllUsers"
  ${ElseIf} $5 == ""
  ${AndIf} $1 == ""
  ${AndIf} $2 != ""
    StrCpy $6 "AllUsers"
  ${EndIf}
  ${If} $6 == "AllUsers"
    Call SetAllUsers
    ${If} $2 != ""
      StrCpy $Upgrade 1
      StrCpy $INSTDIR $2
    ${EndIf}
  ${Else}
    Call SetCurrentUser
    ${If} $1 != ""
      StrCpy $Upgrade 1
      StrCpy $INSTDIR $1
    ${EndIf}
  ${EndIf}
  ${If} $5 != ""
  ${OrIf} $Upgrade == 1
    StrCpy $SkipModePage 1
  ${EndIf}

  ${If} $InstallMode == "AllUsers"
    !insertmacro IsElevated $3
    ${If} $3 != "Admin"
      ${If} $Upgrade == 1
        MessageBox MB_OKCANCEL|MB_ICONINFORMATION "已为这台电脑的所有用户安装了${APP_TITLE}，升级需要管理员权限。$\r$\n点击“确定”后请在Windows的提示中允许。" /SD IDOK IDOK elevate
        Abort
      ${EndIf}
      elevate:
      StrCpy $3 "/ALLUSERS"
      ${If} ${Silent}
        StrCpy $3 "$3 /S"
      ${EndIf}
      !insertmacro RunElevated "$EXEPATH" "$3"
      Pop $4
      ${If} $4 != 1
        MessageBox MB_OK|MB_ICONSTOP "未获得管理员权限，无法为所有用户安装。$\r$\n可以改为“仅为我安装”（不需要管理员权限）。" /SD IDOK
      ${EndIf}
      Quit
    ${EndIf}
  ${EndIf}

  ${If} $0 != ""
    StrCpy $INSTDIR $0 ; /D= wins
  ${ElseIf} $Upgrade != 1
    Call DefaultInstDir
  ${EndIf}
FunctionEnd

Function ModePage
  ${If} $SkipModePage == 1
    Abort
  ${EndIf}
  !insertmacro MUI_HEADER_TEXT "选择安装方式" "为谁安装${APP_TITLE}？"
  nsDialogs::Create 1018
  Pop $0
  ${If} $0 == error
    Abort
  ${EndIf}
  ${NSD_CreateRadioButton} 0 0 100% 12u "仅为我安装（推荐，不需要管理员权限）"
  Pop $RadioUser
  ${NSD_CreateLabel} 14u 14u -14u 20u "安装到当前用户的程序文件夹，只有当前Windows用户能使用。"
  Pop $0
  ${NSD_CreateRadioButton} 0 42u 100% 12u "为这台电脑的所有用户安装（需要管理员权限）"
  Pop $RadioAll
  ${NSD_CreateLabel} 14u 56u -14u 28u "安装到 $PROGRAMFILES64\${APP_NAME}。如果单位的电脑限制了可运行的程序（如AppLocker），请选择此项并请信息管理员协助。"
  Pop $0
  ${NSD_CreateLabel} 0 96u 100% 30u "无论哪种方式，每位用户的数据都单独保存在自己的 %LOCALAPPDATA%\${DATA_DIR_NAME} 文件夹中，升级或卸载程序时默认保留。"
  Pop $0
  ${If} $InstallMode == "AllUsers"
    ${NSD_Check} $RadioAll
  ${Else}
    ${NSD_Check} $RadioUser
  ${EndIf}
  nsDialogs::Show
FunctionEnd

Function ModePageLeave
  ${NSD_GetState} $RadioAll $0
  ${If} $0 == ${BST_CHECKED}
    !insertmacro IsElevated $1
    ${If} $1 != "Admin"
      ; Restart elevated; the new instance starts at the directory page.
      !insertmacro RunElevated "$EXEPATH" "/ALLUSERS"
      Pop $2
      ${If} $2 == 1
        Quit
      ${EndIf}
      MessageBox MB_OK|MB_ICONEXCLAMATION "未获得管理员权限，无法为所有用户安装。请选择“仅为我安装”，或请信息管理员协助。"
      Abort
    ${EndIf}
    Call SetAllUsers
  ${Else}
    Call SetCurrentUser
  ${EndIf}
  Call DefaultInstDir
FunctionEnd

Function DirectoryPagePre
  ${If} $Upgrade == 1
    Abort ; upgrade in place
  ${EndIf}
FunctionEnd

Function .onVerifyInstDir
  Push $INSTDIR
  Call IsAsciiPath
  Pop $0
  ${If} $0 != 1
    Abort ; the Next button stays disabled; the page text says why
  ${EndIf}
  ; Never install into the data folder: the uninstaller must not meet the database there.
  StrCmp $INSTDIR "$LOCALAPPDATA\${DATA_DIR_NAME}" 0 +2
    Abort
FunctionEnd

Function FinishPageShow
  ; Installed for all users from an elevated (maybe another) account: do not start the
  ; program as that account, its data would land in the wrong profile.
  ${If} $InstallMode == "AllUsers"
    ${NSD_Uncheck} $mui.FinishPage.Run
    ShowWindow $mui.FinishPage.Run ${SW_HIDE}
  ${EndIf}
FunctionEnd

Section "!${APP_TITLE}" SecMain
  SectionIn RO
  ; The directory page enforces this; a silent install with /D= must be checked here.
  Push $INSTDIR
  Call IsAsciiPath
  Pop $0
  ${If} $0 != 1
    MessageBox MB_OK|MB_ICONSTOP "安装路径“$INSTDIR”含有中文或特殊字符，程序可能无法启动。请换一个只含英文字母和数字的路径。" /SD IDOK
    Abort "安装路径不符合要求"
  ${EndIf}
  ${If} $Upgrade == 1
    DetailPrint "升级 $INSTDIR 中的旧版本（数据保留）"
  ${EndIf}
  !insertmacro DeleteProgramFile "$INSTDIR\${GUI_EXE}"
  !insertmacro DeleteProgramFile "$INSTDIR\${CLI_EXE}"
  ; Replace the whole runtime so no file of the old version lingers.
  RMDir /r "$INSTDIR\_internal"

  SetOutPath "$INSTDIR"
  File /r "${DISTDIR}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\${APP_TITLE}.lnk" "$INSTDIR\${GUI_EXE}" "" "$INSTDIR\${GUI_EXE}" 0 SW_SHOWNORMAL "" "${APP_TITLE}：编报和校验部门预算绩效目标"
  CreateShortCut "$DESKTOP\${APP_TITLE}.lnk" "$INSTDIR\${GUI_EXE}" "" "$INSTDIR\${GUI_EXE}" 0 SW_SHOWNORMAL "" "${APP_TITLE}：编报和校验部门预算绩效目标"

  ; SHCTX is HKCU for "only me" and HKLM for "all users" (follows SetShellVarContext).
  WriteRegStr SHCTX "${REG_APP}" "InstallDir" "$INSTDIR"
  WriteRegStr SHCTX "${REG_APP}" "InstallMode" "$InstallMode"
  WriteRegStr SHCTX "${REG_APP}" "Version" "${VERSION}"
  ${If} $InstallMode == "AllUsers"
    StrCpy $1 " /ALLUSERS"
  ${Else}
    StrCpy $1 ""
  ${EndIf}
  WriteRegStr SHCTX "${REG_UNINST}" "DisplayName" "${APP_TITLE}"
  WriteRegStr SHCTX "${REG_UNINST}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${REG_UNINST}" "Publisher" "${PUBLISHER}"
  WriteRegStr SHCTX "${REG_UNINST}" "DisplayIcon" "$INSTDIR\${GUI_EXE}"
  WriteRegStr SHCTX "${REG_UNINST}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${REG_UNINST}" "UninstallString" '"$INSTDIR\uninstall.exe"$1'
  WriteRegStr SHCTX "${REG_UNINST}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S$1'
  WriteRegDWORD SHCTX "${REG_UNINST}" "NoModify" 1
  WriteRegDWORD SHCTX "${REG_UNINST}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $2 $3
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD SHCTX "${REG_UNINST}" "EstimatedSize" "$0"
SectionEnd

; ---------------------------------------------------------------- uninstaller

Section "un.程序文件和快捷方式" UnSecMain
  SectionIn RO
  !insertmacro DeleteProgramFile "$INSTDIR\${GUI_EXE}"
  !insertmacro DeleteProgramFile "$INSTDIR\${CLI_EXE}"
  ; Only what the installer put there: never RMDir /r $INSTDIR itself.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APP_TITLE}.lnk"
  Delete "$DESKTOP\${APP_TITLE}.lnk"
  DeleteRegKey SHCTX "${REG_UNINST}"
  ; Only the installer's values: HKCU\${REG_APP}\${APP_NAME} holds the program's QSettings
  ; (window layout, print font), which are the user's and stay with the data.
  DeleteRegValue SHCTX "${REG_APP}" "InstallDir"
  DeleteRegValue SHCTX "${REG_APP}" "InstallMode"
  DeleteRegValue SHCTX "${REG_APP}" "Version"
  DeleteRegKey /ifempty SHCTX "${REG_APP}"
SectionEnd

; Unticked by default (also in silent mode): the data survives an uninstall.
Section /o "un.同时删除我的数据" UnSecData
  SetShellVarContext current ; the data is per user, also after an all-users install
  DetailPrint "删除数据文件夹 $LOCALAPPDATA\${DATA_DIR_NAME}"
  RMDir /r "$LOCALAPPDATA\${DATA_DIR_NAME}"
  DetailPrint "删除程序设置 HKCU\${REG_APP}\${APP_NAME}"
  DeleteRegKey HKCU "${REG_APP}\${APP_NAME}" ; QSettings (organisation and application PerfGoals)
  DeleteRegKey /ifempty HKCU "${REG_APP}"
SectionEnd

!insertmacro MUI_UNFUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${UnSecMain} "删除程序文件夹中的程序、开始菜单和桌面快捷方式、卸载信息。"
  !insertmacro MUI_DESCRIPTION_TEXT ${UnSecData} "删除 %LOCALAPPDATA%\${DATA_DIR_NAME} 中的数据库 perfgoals.db 和 backups 文件夹里的全部备份，以及程序设置（窗口布局、打印字体），删除后无法恢复。不勾选则保留。"
!insertmacro MUI_UNFUNCTION_DESCRIPTION_END

; After the sections: it refers to ${UnSecData}.
Function un.onInit
  SetRegView 64
  SetShellVarContext current
  StrCpy $InstallMode "CurrentUser"
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/ALLUSERS" $R1
  ${IfNot} ${Errors}
    StrCpy $InstallMode "AllUsers"
  ${Else}
    ReadRegStr $0 HKLM "${REG_APP}" "InstallDir"
    ${If} $0 == $INSTDIR
      StrCpy $InstallMode "AllUsers"
    ${EndIf}
  ${EndIf}
  ${If} $InstallMode == "AllUsers"
    !insertmacro IsElevated $1
    ${If} $1 != "Admin"
      StrCpy $3 "/ALLUSERS"
      ${If} ${Silent}
        StrCpy $3 "$3 /S"
      ${EndIf}
      ClearErrors
      ${GetOptions} $R0 "/REMOVEDATA" $R1
      ${IfNot} ${Errors}
        StrCpy $3 "$3 /REMOVEDATA"
      ${EndIf}
      !insertmacro RunElevated "$INSTDIR\uninstall.exe" "$3"
      Pop $2
      ${If} $2 != 1
        MessageBox MB_OK|MB_ICONSTOP "${APP_TITLE}是为所有用户安装的，卸载需要管理员权限。" /SD IDOK
      ${EndIf}
      Quit
    ${EndIf}
    SetShellVarContext all
  ${EndIf}
  ; /REMOVEDATA: also delete the data (for IT scripts; the page lets a user tick it).
  ClearErrors
  ${GetOptions} $R0 "/REMOVEDATA" $R1
  ${IfNot} ${Errors}
    SectionSetFlags ${UnSecData} ${SF_SELECTED}
  ${EndIf}
FunctionEnd

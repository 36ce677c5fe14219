; The CS Pulse setup for Windows 10/11 (x64): per user, no administrator rights.
;
; Built on Linux with Debian's makensis by build-installer beside this file, which writes
; defines.nsh from the same sources as the .deb: the version from Cargo.toml, name, publisher,
; copyright, descriptions, identifier and file associations from tauri.conf.json (`bundle`).
; (Tauri's own NSIS bundling downloads its tools at build time, which cannot be done here.)
;
;   CS-Pulse-setup.exe                 English or German (the Windows display language)
;   CS-Pulse-setup.exe /S              silent, into %LOCALAPPDATA%\Programs\CS Pulse
;   CS-Pulse-setup.exe /S /D=C:\Path   silent, elsewhere (/D= must come last)
;   uninstall.exe                      asks whether to delete the data too (default: keep)
;   uninstall.exe /S [/DELETEDATA]     silent; the data is kept unless /DELETEDATA is given
;
; What it installs: cs-pulse.exe, WebView2Loader.dll beside it (the gnu build loads the
; WebView2 loader at run time), LICENSE.txt, uninstall.exe; a Start-menu entry; the entry in
; Settings → Apps; "Open with → CS Pulse" for each extension of tauri.conf.json's
; fileAssociations (per user, under HKCU\Software\Classes; Excel stays the default app).
; The WebView2 runtime (part of Windows 11 and of most Windows 10 machines) is checked: when
; it is missing the setup says so in plain words and offers Microsoft's download page.

; A 64-bit setup for a 64-bit app (a 32-bit Windows says at once that it cannot run it), and
; one that Wine's 64-bit-only Debian package can run in CI.
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma

!include "${DEFINES}"
; RMDir /r below takes these as folder names under AppData: never empty
!if "${IDENTIFIER}" == ""
  !error "IDENTIFIER is empty"
!endif
!if "${DATA_DIR}" == ""
  !error "DATA_DIR is empty"
!endif
!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh

!define EXE "cs-pulse.exe"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${IDENTIFIER}"
!define APPS_KEY "Software\Classes\Applications\${EXE}"
; the WebView2 runtime's client id (Microsoft's documented detection keys)
!define WEBVIEW2_KEY "Software\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
!define WEBVIEW2_URL "https://go.microsoft.com/fwlink/p/?LinkId=2124703"

Name "${PRODUCT_NAME}"
OutFile "${OUT_FILE}"
InstallDir "$LOCALAPPDATA\Programs\${PRODUCT_NAME}"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
BrandingText "${PRODUCT_NAME} ${VERSION}"

VIProductVersion "${VERSION4}"
VIFileVersion "${VERSION4}"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_UNCOMPONENTSPAGE_NODESC

!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the fallback; Windows' display language picks German.
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "German"

VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${PRODUCT_NAME}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "${COPYRIGHT}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${PRODUCT_NAME} setup"

LangString WEBVIEW2_MISSING ${LANG_ENGLISH} "${PRODUCT_NAME} shows its window with the Microsoft Edge WebView2 Runtime, which is missing on this computer (Windows 11 has it; so do most Windows 10 computers).$\r$\n$\r$\n${PRODUCT_NAME} is installed now and starts once the runtime is there. Its setup is free, small and needs no administrator rights.$\r$\n$\r$\nOpen Microsoft's download now?"
LangString WEBVIEW2_MISSING ${LANG_GERMAN} "${PRODUCT_NAME} zeigt sein Fenster mit der Microsoft Edge WebView2 Runtime, die auf diesem Computer fehlt (Windows 11 hat sie, die meisten Windows-10-Computer auch).$\r$\n$\r$\n${PRODUCT_NAME} wird jetzt installiert und startet, sobald die Runtime da ist. Ihre Installation ist kostenlos, klein und braucht keine Administratorrechte.$\r$\n$\r$\nJetzt den Download von Microsoft öffnen?"
LangString STILL_RUNNING ${LANG_ENGLISH} "${PRODUCT_NAME} is still running. Please close it, then click Retry."
LangString STILL_RUNNING ${LANG_GERMAN} "${PRODUCT_NAME} läuft noch. Bitte schließen Sie es und klicken Sie dann auf Wiederholen."
LangString SEC_APP ${LANG_ENGLISH} "${PRODUCT_NAME} (program files, Start-menu entry)"
LangString SEC_APP ${LANG_GERMAN} "${PRODUCT_NAME} (Programmdateien, Startmenü-Eintrag)"
LangString SEC_DATA ${LANG_ENGLISH} "Also delete my data (imported data, settings, log)"
LangString SEC_DATA ${LANG_GERMAN} "Auch meine Daten löschen (importierte Daten, Einstellungen, Protokoll)"

; --- shared ---------------------------------------------------------------------------------

; Deletes the installed exe, asking the user to close the running app first (a running exe
; cannot be replaced or removed). Silent: gives up and aborts.
!macro CLOSE_APP UN
Function ${UN}CloseApp
  retry:
  ClearErrors
  IfFileExists "$INSTDIR\${EXE}" 0 done
  Delete "$INSTDIR\${EXE}"
  IfErrors 0 done
  MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(STILL_RUNNING)" /SD IDCANCEL IDRETRY retry
  Abort
  done:
FunctionEnd
!macroend
!insertmacro CLOSE_APP ""
!insertmacro CLOSE_APP "un."

; "Open with" for one extension: a ProgID of ours listed under the extension's OpenWithProgids
; (the user's default app for the extension is left alone), and the type for the app's key
!macro OPEN_WITH EXT DESC
  WriteRegStr HKCU "Software\Classes\.${EXT}\OpenWithProgids" "${IDENTIFIER}.${EXT}" ""
  WriteRegStr HKCU "Software\Classes\${IDENTIFIER}.${EXT}" "" "${DESC}"
  WriteRegStr HKCU "Software\Classes\${IDENTIFIER}.${EXT}" "FriendlyTypeName" "${DESC}"
  WriteRegStr HKCU "Software\Classes\${IDENTIFIER}.${EXT}\DefaultIcon" "" "$INSTDIR\${EXE},0"
  WriteRegStr HKCU "Software\Classes\${IDENTIFIER}.${EXT}\shell\open\command" "" \
    '"$INSTDIR\${EXE}" "%1"'
  WriteRegStr HKCU "${APPS_KEY}\SupportedTypes" ".${EXT}" ""
!macroend

!macro UN_OPEN_WITH EXT DESC
  DeleteRegValue HKCU "Software\Classes\.${EXT}\OpenWithProgids" "${IDENTIFIER}.${EXT}"
  DeleteRegKey /ifempty HKCU "Software\Classes\.${EXT}\OpenWithProgids"
  DeleteRegKey /ifempty HKCU "Software\Classes\.${EXT}"
  DeleteRegKey HKCU "Software\Classes\${IDENTIFIER}.${EXT}"
!macroend

; --- install --------------------------------------------------------------------------------

; "pv" under either key, not empty and not 0.0.0.0, means a runtime is there (HKLM is read
; in the 32-bit view: the WOW6432Node key that Microsoft documents for x64 Windows).
Function CheckWebView2
  SetRegView 32
  ReadRegStr $0 HKLM "${WEBVIEW2_KEY}" "pv"
  SetRegView lastused
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    ReadRegStr $0 HKCU "${WEBVIEW2_KEY}" "pv"
  ${EndIf}
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    DetailPrint "WebView2 runtime: missing"
    MessageBox MB_YESNO|MB_ICONINFORMATION "$(WEBVIEW2_MISSING)" /SD IDNO IDNO +2
    ExecShell "open" "${WEBVIEW2_URL}"
  ${Else}
    DetailPrint "WebView2 runtime: $0"
  ${EndIf}
FunctionEnd

Section "-install"
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  Call CloseApp
  File "${APP_DIR}\${EXE}"
  File "${APP_DIR}\WebView2Loader.dll"
  File "/oname=LICENSE.txt" "${LICENSE_FILE}"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${PRODUCT_NAME}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0 \
    SW_SHOWNORMAL "" "${DESCRIPTION}"

  ; Settings → Apps (per user)
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${PRODUCT_NAME}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINST_KEY}" "Comments" "${DESCRIPTION}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${EXE},0"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" $0

  ; "Open with": the app, and one ProgID per extension listed under the extension's
  ; OpenWithProgids (the user's default app for the extension is left alone)
  WriteRegStr HKCU "${APPS_KEY}" "FriendlyAppName" "${PRODUCT_NAME}"
  WriteRegStr HKCU "${APPS_KEY}\DefaultIcon" "" "$INSTDIR\${EXE},0"
  WriteRegStr HKCU "${APPS_KEY}\shell\open\command" "" '"$INSTDIR\${EXE}" "%1"'
  !insertmacro ASSOCIATIONS
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  Call CheckWebView2
SectionEnd

; --- uninstall ------------------------------------------------------------------------------


Section "un.$(SEC_APP)" SecApp
  SectionIn RO
  SetShellVarContext current
  Call un.CloseApp
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\LICENSE.txt"
  Delete "$INSTDIR\uninstall.exe"
  ; only what was installed: the folder goes only when nothing else is in it
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${PRODUCT_NAME}.lnk"
  DeleteRegKey HKCU "${UNINST_KEY}"
  !insertmacro UN_ASSOCIATIONS
  DeleteRegKey HKCU "${APPS_KEY}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd

; Off unless chosen (or /DELETEDATA): the database (the directories crate's data folder,
; store::default_path), and Tauri's folders named by the identifier (window state, log, the
; WebView2 profile).
Section /o "un.$(SEC_DATA)" SecData
  SetShellVarContext current
  RMDir /r "$APPDATA\${DATA_DIR}"
  RMDir "$APPDATA\${DATA_PARENT}"
  RMDir /r "$APPDATA\${IDENTIFIER}"
  RMDir /r "$LOCALAPPDATA\${IDENTIFIER}"
SectionEnd

Function un.onInit
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/DELETEDATA" $1
  ${IfNot} ${Errors}
    SectionSetFlags ${SecData} ${SF_SELECTED}
  ${EndIf}
FunctionEnd

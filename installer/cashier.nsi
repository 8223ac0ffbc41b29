; Windows installer of the cashier station (NSIS 3, Modern UI 2).
;
;   makensis /DVERSION=0.1.0 /DVERSION_NUMERIC=0.1.0.0 /DBUILD_DIR=installer\dist\cashier ^
;            /DOUT_FILE=installer\dist\cashier-station-0.1.0-setup.exe installer\cashier.nsi
; installer/build.py passes these from setup.cfg (the one place the version lives).
;
; Choices (see docs/install-en.md):
; - Per-machine install into Program Files (admin), Start menu and desktop shortcuts for all users.
; - Data (database, backups, keys, reports, logs) in %ProgramData%\CashierStation, never under
;   Program Files: one database per counter PC whichever Windows account the cashier uses. The
;   installer creates the folder, gives the local Users group modify rights on it and sets the
;   machine environment variable CASHIER_HOME to it (an existing CASHIER_HOME is kept).
; - Upgrade in place: refuses a downgrade (unless /ALLOWDOWNGRADE), asks to close the running
;   app, backs the database up first with the installed "cashier.exe backup" (SQLite backup API;
;   never a file copy of a live database) and stops when that backup fails, removes the old
;   program files only, never the data.
; - Uninstall keeps the data unless the "Remove data" component is ticked (off by default).

Unicode true
!ifdef TARGET
  Target ${TARGET}  ; e.g. amd64-unicode (installer/wine/check.py runs it under 64-bit Wine)
!endif
ManifestDPIAware true
SetCompressor /SOLID lzma

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "WordFunc.nsh"
!include "FileFunc.nsh"
!include "WinMessages.nsh"
!include "x64.nsh"

!ifndef VERSION
  !error "pass /DVERSION=x.y.z (installer/build.py reads it from setup.cfg)"
!endif
!ifndef VERSION_NUMERIC
  !error "pass /DVERSION_NUMERIC=a.b.c.d (numeric form of VERSION)"
!endif
!ifndef BUILD_DIR
  !error "pass /DBUILD_DIR=<the PyInstaller folder dist\cashier>"
!endif
!ifndef OUT_FILE
  !define OUT_FILE "cashier-station-${VERSION}-setup.exe"
!endif

!define APP_NAME "Cashier Station"
!define APP_ID "CashierStation"
!define PUBLISHER "Cashier Station project"
!define GUI_EXE "cashier-gui.exe"
!define CLI_EXE "cashier.exe"
!define UNINST_EXE "uninstall.exe"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define ENV_KEY "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"
!define DB_NAME "cashier.sqlite3"
!define USERS_SID "*S-1-5-32-545"

; The staged build must hold both programs and the resources: checked when compiling.
!if ! /FileExists "${BUILD_DIR}/${GUI_EXE}"
  !error "staged build incomplete: ${BUILD_DIR}/${GUI_EXE} missing"
!endif
!if ! /FileExists "${BUILD_DIR}/${CLI_EXE}"
  !error "staged build incomplete: ${BUILD_DIR}/${CLI_EXE} missing"
!endif
!if ! /FileExists "${BUILD_DIR}/_internal/resources/profiles"
  !error "staged build incomplete: ${BUILD_DIR}/_internal/resources/profiles missing"
!endif

Name "${APP_NAME} ${VERSION}"
OutFile "${OUT_FILE}"
InstallDir "$PROGRAMFILES64\${APP_ID}"
InstallDirRegKey HKLM "${UNINST_KEY}" "InstallLocation"
RequestExecutionLevel admin
ShowInstDetails show
ShowUninstDetails show
BrandingText "${APP_NAME} ${VERSION}"

VIProductVersion "${VERSION_NUMERIC}"
VIFileVersion "${VERSION_NUMERIC}"
VIAddVersionKey /LANG=0 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "FileDescription" "${APP_NAME} installer"
VIAddVersionKey /LANG=0 "LegalCopyright" "${PUBLISHER}"

Var DataDir
Var OldVersion
Var OldNumeric
Var OldDir
Var IsUpgrade

; -- pages --------------------------------------------------------------------------------------
!define MUI_ABORTWARNING
!if /FileExists "${BUILD_DIR}/_internal/resources/icons/cashier.ico"
  !define MUI_ICON "${BUILD_DIR}/_internal/resources/icons/cashier.ico"
  !define MUI_UNICON "${BUILD_DIR}/_internal/resources/icons/cashier.ico"
!endif
!define MUI_COMPONENTSPAGE_NODESC
!define MUI_FINISHPAGE_RUN
!define MUI_FINISHPAGE_RUN_TEXT "$(RunApp)"
!define MUI_FINISHPAGE_RUN_FUNCTION LaunchAsUser
!define MUI_FINISHPAGE_SHOWREADME
!define MUI_FINISHPAGE_SHOWREADME_TEXT "$(RunSelftest)"
!define MUI_FINISHPAGE_SHOWREADME_FUNCTION RunSelftest
!define MUI_FINISHPAGE_SHOWREADME_NOTCHECKED

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "Vietnamese"
!insertmacro MUI_LANGUAGE "English"

; -- messages (Vietnamese first: the technicians' language) -------------------------------------
LangString SecProgram ${LANG_VIETNAMESE} "Chương trình thu tiền điện"
LangString SecProgram ${LANG_ENGLISH} "Cashier station program"
LangString SecDesktop ${LANG_VIETNAMESE} "Biểu tượng trên màn hình nền"
LangString SecDesktop ${LANG_ENGLISH} "Desktop shortcut"
LangString SecRemoveData ${LANG_VIETNAMESE} "Xóa cả dữ liệu (CSDL, bản sao lưu, khóa, báo cáo)"
LangString SecRemoveData ${LANG_ENGLISH} "Also remove the data (database, backups, keys, reports)"
LangString RunApp ${LANG_VIETNAMESE} "Mở chương trình thu tiền"
LangString RunApp ${LANG_ENGLISH} "Start the cashier station"
LangString RunSelftest ${LANG_VIETNAMESE} "Chạy tự kiểm tra (cashier selftest)"
LangString RunSelftest ${LANG_ENGLISH} "Run the self-test (cashier selftest)"
LangString SelftestLink ${LANG_VIETNAMESE} "Tự kiểm tra cài đặt"
LangString SelftestLink ${LANG_ENGLISH} "Self-test"
LangString DataLink ${LANG_VIETNAMESE} "Thư mục dữ liệu"
LangString DataLink ${LANG_ENGLISH} "Data folder"
LangString UninstLink ${LANG_VIETNAMESE} "Gỡ cài đặt"
LangString UninstLink ${LANG_ENGLISH} "Uninstall"
LangString Downgrade ${LANG_VIETNAMESE} "Máy này đã cài phiên bản $OldVersion, mới hơn bản ${VERSION} này. Không cài đè phiên bản cũ hơn (dữ liệu của bản mới có thể không đọc được bằng bản cũ). Dữ liệu được giữ nguyên."
LangString Downgrade ${LANG_ENGLISH} "Version $OldVersion is installed, newer than this ${VERSION}. Installing an older version over it is refused (the newer data may not be readable by the older program). Your data is unchanged."
LangString DowngradeForced ${LANG_VIETNAMESE} "CẢNH BÁO: cài bản cũ hơn ${VERSION} đè lên $OldVersion theo yêu cầu /ALLOWDOWNGRADE."
LangString DowngradeForced ${LANG_ENGLISH} "WARNING: installing older ${VERSION} over $OldVersion as asked by /ALLOWDOWNGRADE."
LangString SameVersion ${LANG_VIETNAMESE} "Phiên bản ${VERSION} đã được cài. Cài lại (sửa chữa)? Dữ liệu được giữ nguyên."
LangString SameVersion ${LANG_ENGLISH} "Version ${VERSION} is already installed. Reinstall (repair) it? Your data is kept."
LangString AppRunning ${LANG_VIETNAMESE} "Chương trình thu tiền đang chạy. Hãy đóng nó (kết thúc ca nếu cần) rồi bấm Thử lại."
LangString AppRunning ${LANG_ENGLISH} "The cashier station is running. Close it (end the shift if needed), then press Retry."
LangString BackingUp ${LANG_VIETNAMESE} "Sao lưu cơ sở dữ liệu trước khi nâng cấp..."
LangString BackingUp ${LANG_ENGLISH} "Backing up the database before upgrading..."
LangString BackupFailed ${LANG_VIETNAMESE} "Không sao lưu được cơ sở dữ liệu ($DataDir\${DB_NAME}), mã lỗi $0. Việc nâng cấp đã dừng, chương trình và dữ liệu cũ giữ nguyên. Kiểm tra ổ đĩa còn trống và quyền ghi, rồi chạy lại bộ cài."
LangString BackupFailed ${LANG_ENGLISH} "The database ($DataDir\${DB_NAME}) could not be backed up (exit code $0). The upgrade stopped; the old program and data are unchanged. Check free disk space and write permission, then run the installer again."
LangString RemoveDataConfirm ${LANG_VIETNAMESE} "Xóa VĨNH VIỄN toàn bộ dữ liệu trong $DataDir (giao dịch, bản sao lưu, khóa ký)? Các giao dịch chưa xuất file gạch nợ sẽ mất."
LangString RemoveDataConfirm ${LANG_ENGLISH} "PERMANENTLY delete all data in $DataDir (payments, backups, signing keys)? Payments not yet exported for clearing will be lost."
LangString DataKept ${LANG_VIETNAMESE} "Dữ liệu được giữ lại trong $DataDir"
LangString DataKept ${LANG_ENGLISH} "The data is kept in $DataDir"

; -- helpers ------------------------------------------------------------------------------------
!macro ResolveDataDir
  ; CASHIER_HOME set machine-wide (by an earlier install or by the technician) wins.
  ReadRegStr $DataDir HKLM "${ENV_KEY}" "CASHIER_HOME"
  ${If} $DataDir == ""
    StrCpy $DataDir "$APPDATA\${APP_ID}"
  ${EndIf}
!macroend

Function LaunchAsUser
  ; The installer runs elevated; explorer starts the app as the logged-in user instead.
  Exec '"$WINDIR\explorer.exe" "$INSTDIR\${GUI_EXE}"'
FunctionEnd

Function RunSelftest
  Exec '"$SYSDIR\cmd.exe" /k ""$INSTDIR\${CLI_EXE}" selftest"'
FunctionEnd

Function .onInit
  SetShellVarContext all
  SetRegView 64
  StrCpy $IsUpgrade "0"
  !insertmacro ResolveDataDir
  ReadRegStr $OldVersion HKLM "${UNINST_KEY}" "DisplayVersion"
  ReadRegStr $OldNumeric HKLM "${UNINST_KEY}" "VersionNumeric"
  ReadRegStr $OldDir HKLM "${UNINST_KEY}" "InstallLocation"
  ${If} $OldVersion != ""
    ${If} $OldNumeric == ""
      StrCpy $OldNumeric $OldVersion
    ${EndIf}
    ${VersionCompare} "${VERSION_NUMERIC}" "$OldNumeric" $R0
    ${If} $R0 == 2
      ${GetParameters} $R1
      ClearErrors
      ${GetOptions} $R1 "/ALLOWDOWNGRADE" $R2
      ${If} ${Errors}
        MessageBox MB_OK|MB_ICONSTOP "$(Downgrade)" /SD IDOK
        Abort
      ${EndIf}
      MessageBox MB_OKCANCEL|MB_ICONEXCLAMATION "$(DowngradeForced)" /SD IDOK IDOK +2
      Abort
    ${ElseIf} $R0 == 0
      MessageBox MB_YESNO|MB_ICONQUESTION "$(SameVersion)" /SD IDYES IDYES +2
      Abort
    ${EndIf}
    StrCpy $IsUpgrade "1"
    ${If} $OldDir != ""
      StrCpy $INSTDIR $OldDir
    ${EndIf}
  ${EndIf}
FunctionEnd

Function un.onInit
  SetShellVarContext all
  SetRegView 64
  !insertmacro ResolveDataDir
FunctionEnd

Function WaitUntilClosed
  ; A running program keeps its .exe locked: opening it for writing fails until it is closed.
  retry:
  ${IfNot} ${FileExists} "$INSTDIR\${GUI_EXE}"
    Return
  ${EndIf}
  ClearErrors
  FileOpen $R0 "$INSTDIR\${GUI_EXE}" a
  ${IfNot} ${Errors}
    FileClose $R0
    Return
  ${EndIf}
  MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(AppRunning)" /SD IDCANCEL IDRETRY retry
  Abort
FunctionEnd

Function BackupBeforeUpgrade
  ; Only an upgrade over an install that has a database needs (and can make) a backup.
  ${If} $IsUpgrade != "1"
  ${OrIfNot} ${FileExists} "$DataDir\${DB_NAME}"
    Return
  ${EndIf}
  ${IfNot} ${FileExists} "$INSTDIR\${CLI_EXE}"
    StrCpy $0 "no ${CLI_EXE}"
    MessageBox MB_OK|MB_ICONSTOP "$(BackupFailed)" /SD IDOK
    Abort
  ${EndIf}
  DetailPrint "$(BackingUp)"
  System::Call 'Kernel32::SetEnvironmentVariable(t "CASHIER_HOME", t "$DataDir") i .r1'
  nsExec::ExecToLog '"$INSTDIR\${CLI_EXE}" backup'
  Pop $0
  ${If} $0 != "0"
    MessageBox MB_OK|MB_ICONSTOP "$(BackupFailed)" /SD IDOK
    Abort
  ${EndIf}
FunctionEnd

; -- install ------------------------------------------------------------------------------------
Section "!$(SecProgram)" SecMain
  SectionIn RO
  SetShellVarContext all
  SetRegView 64

  ${If} $IsUpgrade == "1"
    DetailPrint "Upgrade $OldVersion -> ${VERSION} in $INSTDIR (data: $DataDir)"
    Call WaitUntilClosed
    Call BackupBeforeUpgrade
    ; old program files only: _internal is replaced whole so no stale DLL survives
    RMDir /r "$INSTDIR\_internal"
    Delete "$INSTDIR\${GUI_EXE}"
    Delete "$INSTDIR\${CLI_EXE}"
  ${EndIf}

  SetOutPath "$INSTDIR"
  File /r "${BUILD_DIR}/*.*"

  ; data directory outside Program Files, shared by the PC's Windows accounts
  CreateDirectory "$DataDir"
  nsExec::ExecToLog 'icacls "$DataDir" /grant ${USERS_SID}:(OI)(CI)M'
  Pop $0
  WriteRegExpandStr HKLM "${ENV_KEY}" "CASHIER_HOME" "$DataDir"
  ; this process too, so the self-test started from the finish page checks the same folder
  System::Call 'Kernel32::SetEnvironmentVariable(t "CASHIER_HOME", t "$DataDir") i .r1'
  SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000

  WriteUninstaller "$INSTDIR\${UNINST_EXE}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "VersionNumeric" "${VERSION_NUMERIC}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "DataDir" "$DataDir"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${GUI_EXE}"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\${UNINST_EXE}"'
  WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINST_EXE}" /S'
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINST_KEY}" "EstimatedSize" "$0"

  CreateDirectory "$SMPROGRAMS\${APP_NAME}"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk" "$INSTDIR\${GUI_EXE}"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\$(SelftestLink).lnk" "$SYSDIR\cmd.exe" \
      '/k ""$INSTDIR\${CLI_EXE}" selftest"' "$INSTDIR\${CLI_EXE}"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\$(DataLink).lnk" "$DataDir"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\$(UninstLink).lnk" "$INSTDIR\${UNINST_EXE}"
SectionEnd

Section "$(SecDesktop)" SecDesktop
  SetShellVarContext all
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${GUI_EXE}"
SectionEnd

; -- uninstall ----------------------------------------------------------------------------------
Section "un.$(SecProgram)" UnSecMain
  SectionIn RO
  SetShellVarContext all
  SetRegView 64
  Delete "$DESKTOP\${APP_NAME}.lnk"
  RMDir /r "$SMPROGRAMS\${APP_NAME}"
  ; only what the installer put there (never RMDir /r $INSTDIR: it may be a shared folder)
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${GUI_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\${UNINST_EXE}"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINST_KEY}"
SectionEnd

Section /o "un.$(SecRemoveData)" UnSecData
  MessageBox MB_YESNO|MB_ICONEXCLAMATION|MB_DEFBUTTON2 "$(RemoveDataConfirm)" /SD IDNO IDYES +2
  Goto keep
  RMDir /r "$DataDir"
  DeleteRegValue HKLM "${ENV_KEY}" "CASHIER_HOME"
  SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
  Return
keep:
  DetailPrint "$(DataKept)"
  StrCpy $0 "kept"
SectionEnd

Section "-un.report"
  SectionGetFlags ${UnSecData} $0
  IntOp $0 $0 & ${SF_SELECTED}
  ${If} $0 == 0
    DetailPrint "$(DataKept)"
  ${EndIf}
SectionEnd

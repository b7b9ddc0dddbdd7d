Attribute VB_Name = "caseforms"
' caseforms actions, one macro each, for buttons or the Quick Access Toolbar (Windows and macOS desktop Excel).
' You do not need this file for Run main on the xlwings tab. To use it: save the register as register.xlsm in its
' folder and move register.xlsx into backups/ (a folder keeps one register), open the VBA editor (Alt+F11; on a
' Mac, Tools > Macro > Visual Basic Editor), File > Import File... this file, and set a reference to xlwings
' (Tools > References...). Then assign a macro to a button (Developer > Insert > Button).
' Each macro acts on the workbook it is clicked in, and on the case of the selected row where it needs one.

Sub CaseformsCheckRegister()
    RunPython "import caseforms.excel as cf; cf.check()"
End Sub

Sub CaseformsRefreshDeadlines()
    RunPython "import caseforms.excel as cf; cf.deadlines()"
End Sub

Sub CaseformsRequestPack()
    RunPython "import caseforms.excel as cf; cf.request_pack()"
End Sub

Sub CaseformsMergeReturns()
    RunPython "import caseforms.excel as cf; cf.merge_returns()"
End Sub

Sub CaseformsPapers()
    RunPython "import caseforms.excel as cf; cf.papers()"
End Sub

Sub CaseformsRefreshTracker()
    RunPython "import caseforms.excel as cf; cf.tracker()"
End Sub

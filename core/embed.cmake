# Writes the file IN as a C string literal (one "line\n" per line) to OUT:
# core/CMakeLists.txt builds the shipped stop words into the library so.
file(READ ${IN} text)
string(REPLACE "\\" "\\\\" text "${text}")
string(REPLACE "\"" "\\\"" text "${text}")
string(REGEX REPLACE "\n" "\\\\n\"\n\"" text "${text}")
file(WRITE ${OUT} "\"${text}\"\n")

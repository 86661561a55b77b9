FetchContent_Declare(x GIT_REPOSITORY "unterminated
ExternalProject_Add(
CPMAddPackage("
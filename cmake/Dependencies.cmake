# Every external dependency, found the same way: a missing one stops configure
# with one line naming the Debian package that provides it.
find_package(PkgConfig QUIET)
if(NOT PKG_CONFIG_FOUND)
  message(FATAL_ERROR "missing dependency pkg-config: install the Debian package 'pkg-config'")
endif()

function(sdl_require_pkg target module debian_package)
  pkg_check_modules(${target} QUIET IMPORTED_TARGET GLOBAL ${module})
  if(NOT ${target}_FOUND)
    message(FATAL_ERROR "missing dependency ${module}: install the Debian package '${debian_package}'")
  endif()
endfunction()

sdl_require_pkg(SDL_DEP_GIT2 libgit2 libgit2-dev)
sdl_require_pkg(SDL_DEP_CJSON libcjson libcjson-dev)
sdl_require_pkg(SDL_DEP_PCRE2 libpcre2-8 libpcre2-dev)
sdl_require_pkg(SDL_DEP_CRYPTO libcrypto libssl-dev)
sdl_require_pkg(SDL_DEP_EXPAT expat libexpat1-dev)
sdl_require_pkg(SDL_DEP_ARCHIVE libarchive libarchive-dev)
if(SDL_BUILD_TESTS)
  sdl_require_pkg(SDL_DEP_CMOCKA cmocka libcmocka-dev)
endif()

find_package(Threads REQUIRED)

# libclang ships no pkg-config file; look in Debian's versioned LLVM prefixes.
set(SDL_LLVM_HINTS)
foreach(v 19 18 17 16 15 14)
  list(APPEND SDL_LLVM_HINTS /usr/lib/llvm-${v})
endforeach()
find_path(SDL_LIBCLANG_INCLUDE clang-c/Index.h
          HINTS ${SDL_LLVM_HINTS} PATH_SUFFIXES include)
find_library(SDL_LIBCLANG_LIBRARY NAMES clang libclang
             HINTS ${SDL_LLVM_HINTS} PATH_SUFFIXES lib)
if(NOT SDL_LIBCLANG_INCLUDE OR NOT SDL_LIBCLANG_LIBRARY)
  message(FATAL_ERROR "missing dependency libclang: install the Debian package 'libclang-dev'")
endif()
add_library(sdl_dep_libclang INTERFACE)
target_include_directories(sdl_dep_libclang SYSTEM INTERFACE ${SDL_LIBCLANG_INCLUDE})
target_link_libraries(sdl_dep_libclang INTERFACE ${SDL_LIBCLANG_LIBRARY})
get_filename_component(SDL_LIBCLANG_LIBDIR ${SDL_LIBCLANG_LIBRARY} DIRECTORY)
# libclang needs its own resource directory (stddef.h and friends) at run time.
get_filename_component(SDL_LLVM_PREFIX ${SDL_LIBCLANG_LIBDIR} DIRECTORY)
file(GLOB SDL_CLANG_RESOURCE_DIRS LIST_DIRECTORIES true "${SDL_LLVM_PREFIX}/lib/clang/*")
list(SORT SDL_CLANG_RESOURCE_DIRS)
list(POP_BACK SDL_CLANG_RESOURCE_DIRS SDL_CLANG_RESOURCE_DIR)

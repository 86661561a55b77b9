# Warnings, hardening and sanitizers, applied to every target we build.
add_compile_options(-Wall -Wextra -Wpedantic -Wshadow -Wformat=2 -Wstrict-prototypes
                    -Wmissing-prototypes -Wvla)
add_compile_definitions(_GNU_SOURCE)
if(SDL_WERROR)
  add_compile_options(-Werror)
endif()

if(SDL_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=address,undefined -fno-sanitize-recover=all)
else()
  # Release hardening (STYLE.md 7): fortify, stack protector, PIE, full RELRO.
  add_compile_options($<$<NOT:$<CONFIG:Debug>>:-D_FORTIFY_SOURCE=2>
                      -fstack-protector-strong -fstack-clash-protection)
  include(CheckPIESupported)
  check_pie_supported()
  add_link_options(-Wl,-z,relro,-z,now -Wl,-z,noexecstack)
endif()

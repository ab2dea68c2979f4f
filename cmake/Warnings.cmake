# Warnings are errors, everywhere in our code.
add_compile_options(-Wall -Wextra -Werror -Wshadow=local -Wnon-virtual-dtor
                    -Wno-missing-field-initializers)

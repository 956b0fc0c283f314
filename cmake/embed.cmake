# Turns files into C byte arrays at build time so that every binary carries
# its migrations, seed data and static pages (containers ship one file).
#
# embed_files(OUT <generated.c> SYMBOLS <sym>... FILES <path>...)
# Each <sym> becomes `const char sym[]` (NUL-terminated) and `const size_t sym_len`.
function(embed_files)
    cmake_parse_arguments(E "" "OUT" "SYMBOLS;FILES" ${ARGN})
    # Lists travel to the script joined with '|': ';' would split the arguments.
    string(REPLACE ";" "|" symbols "${E_SYMBOLS}")
    string(REPLACE ";" "|" files "${E_FILES}")
    add_custom_command(
        OUTPUT ${E_OUT}
        COMMAND ${CMAKE_COMMAND} -DOUT=${E_OUT} -DSYMBOLS=${symbols} -DFILES=${files}
                -P ${PROJECT_SOURCE_DIR}/cmake/embed_run.cmake
        DEPENDS ${E_FILES} ${PROJECT_SOURCE_DIR}/cmake/embed_run.cmake
        COMMENT "Embedding ${E_OUT}"
        VERBATIM)
endfunction()

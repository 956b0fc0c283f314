# Swagger UI for /swagger-ui.html, served offline from the binary: the npm
# package swagger-ui-dist (pinned below) is fetched once per build tree with
# `npm pack` and unpacked there; later configures reuse it (and npm keeps its
# own cache). Without npm, or when the registry cannot be reached, the build
# still succeeds: FANTACO_SWAGGER_UI_FOUND is OFF and the page explains how
# to enable it. Sets FANTACO_SWAGGER_UI_CSS and FANTACO_SWAGGER_UI_JS to the
# files to embed (empty placeholders when not found).
set(FANTACO_SWAGGER_UI_VERSION 5.35.0)
option(FANTACO_SWAGGER_UI "Embed Swagger UI (npm package swagger-ui-dist) in the REST services" ON)

set(_sui_dir ${CMAKE_BINARY_DIR}/swagger-ui-dist-${FANTACO_SWAGGER_UI_VERSION})
set(_sui_pkg ${_sui_dir}/package)
if(FANTACO_SWAGGER_UI AND NOT EXISTS ${_sui_pkg}/swagger-ui-bundle.js)
    find_program(FANTACO_NPM npm)
    if(FANTACO_NPM)
        file(MAKE_DIRECTORY ${_sui_dir})
        execute_process(
            COMMAND ${FANTACO_NPM} pack swagger-ui-dist@${FANTACO_SWAGGER_UI_VERSION} --silent
            WORKING_DIRECTORY ${_sui_dir}
            RESULT_VARIABLE _sui_rc OUTPUT_QUIET ERROR_VARIABLE _sui_err TIMEOUT 300)
        set(_sui_tgz ${_sui_dir}/swagger-ui-dist-${FANTACO_SWAGGER_UI_VERSION}.tgz)
        if(_sui_rc EQUAL 0 AND EXISTS ${_sui_tgz})
            file(ARCHIVE_EXTRACT INPUT ${_sui_tgz} DESTINATION ${_sui_dir})
        else()
            message(WARNING "Swagger UI left out: npm pack swagger-ui-dist@"
                            "${FANTACO_SWAGGER_UI_VERSION} failed (${_sui_rc}): ${_sui_err}")
        endif()
    else()
        message(WARNING "Swagger UI left out: npm not found (install npm and re-run cmake)")
    endif()
endif()

if(FANTACO_SWAGGER_UI AND EXISTS ${_sui_pkg}/swagger-ui-bundle.js AND EXISTS ${_sui_pkg}/swagger-ui.css)
    set(FANTACO_SWAGGER_UI_FOUND ON)
    set(FANTACO_SWAGGER_UI_CSS ${_sui_pkg}/swagger-ui.css)
    set(FANTACO_SWAGGER_UI_JS ${_sui_pkg}/swagger-ui-bundle.js)
else()
    set(FANTACO_SWAGGER_UI_FOUND OFF)
    set(FANTACO_SWAGGER_UI_CSS ${CMAKE_BINARY_DIR}/swagger-ui-absent.css)
    set(FANTACO_SWAGGER_UI_JS ${CMAKE_BINARY_DIR}/swagger-ui-absent.js)
    file(WRITE ${FANTACO_SWAGGER_UI_CSS} "")
    file(WRITE ${FANTACO_SWAGGER_UI_JS} "")
endif()
message(STATUS "Swagger UI ${FANTACO_SWAGGER_UI_VERSION} embedded: ${FANTACO_SWAGGER_UI_FOUND}")

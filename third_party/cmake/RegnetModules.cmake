# regnet_module(NAME [DEPENDS MODULE...] [LIBS TARGET...]): one concern folder of lib/core as a
# static library regnet_NAME (docs/architecture.md). Layering is enforced by the compiler: the
# module's headers are reachable only as "core/NAME/x.hpp" through an include tree of its own
# (a symlink in the build directory), which the module and the modules that DEPEND on it see,
# and nothing else does (lib/ itself is on no include path). An include of a module that is not
# a (transitive) dependency fails with "No such file". scripts/module-graph.py reads these calls.
function(regnet_module name)
  cmake_parse_arguments(PARSE_ARGV 1 M "" "" "DEPENDS;LIBS")
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${name}/*.cpp)
  add_library(regnet_${name} STATIC ${sources})
  regnet_expose_headers(regnet_${name} ${CMAKE_CURRENT_SOURCE_DIR}/${name} core/${name})
  list(TRANSFORM M_DEPENDS PREPEND regnet_)
  target_link_libraries(regnet_${name} PUBLIC ${M_DEPENDS} ${M_LIBS})
  # No fused multiply-add contraction (GCC contracts by default where the target has FMA, e.g.
  # aarch64 or -march=native): the sampler's draws (core/base/rng.hpp) and every other number
  # stay bit-identical on every machine.
  target_compile_options(regnet_${name} PRIVATE -Wall -Wextra -ffp-contract=off)
  set_property(GLOBAL APPEND PROPERTY REGNET_CORE_MODULES regnet_${name})
endfunction()

# regnet_expose_headers(TARGET SOURCE_DIR AS): makes SOURCE_DIR's headers includable as "AS/x.hpp"
# by TARGET and its dependents only.
function(regnet_expose_headers target source_dir as)
  set(view ${CMAKE_BINARY_DIR}/module_headers/${target})
  get_filename_component(parent ${view}/${as} DIRECTORY)
  file(MAKE_DIRECTORY ${parent})
  if(NOT EXISTS ${view}/${as})
    file(CREATE_LINK ${source_dir} ${view}/${as} SYMBOLIC)
  endif()
  target_include_directories(${target} PUBLIC ${view})
endfunction()

# Finds every third-party dependency. All come from Debian bookworm packages
# (see third_party/README.md); nothing is vendored. On the GPU machine the
# header-only ones are unpacked into .deps/ (scripts/gpu-check.sh) and found
# through CMAKE_PREFIX_PATH.
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)  # libfmt-dev: spdlog is built on it; core/base/text.hpp uses it directly
find_package(Threads REQUIRED)

if(REGNET_WITH_TORCH)
  find_package(Torch REQUIRED)
  # OpenCV is optional: without it ImageFolder (JPEG) input is off.
  find_package(OpenCV QUIET COMPONENTS core imgproc imgcodecs)
  if(OpenCV_FOUND)
    message(STATUS "OpenCV ${OpenCV_VERSION}: ImageFolder input on")
  else()
    message(STATUS "OpenCV not found: ImageFolder input off")
  endif()
endif()

if(REGNET_BUILD_TESTS)
  find_package(Catch2 2 REQUIRED)
  include(Catch)
endif()

// See ../taskflow.hpp: OneirOS's stand-in for the part of Taskflow 3.8.0 ICICLE uses.
#pragma once
#include "../taskflow.hpp"

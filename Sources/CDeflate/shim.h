#ifndef CDEFLATE_SHIM_H
#define CDEFLATE_SHIM_H
#include <stddef.h>
#include <libdeflate.h>
#endif

#pragma once
int steps();

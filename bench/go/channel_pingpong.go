// The Go side of bench/channel_bench.cpp (issue 3): unbuffered ping-pong between two
// goroutines, and a buffered (capacity 100) single producer / single consumer stream.
// Run with GOMAXPROCS=1 to compare with two coroutines on one untangle loop.
// Prints one line per benchmark: "<name> <CPU ns per op> <wall ns per op>". The CPU time
// (getrusage, the whole process) is what bench/channels.sh compares: the benchmark
// machines are shared, and wall time then measures the neighbours too.
package main

import (
	"flag"
	"fmt"
	"syscall"
	"time"
)

type sample struct{ cpu, wall time.Duration }

func now() sample {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return sample{cpu, time.Duration(time.Now().UnixNano())}
}

func perOp(start sample, n int) (float64, float64) {
	end := now()
	return float64((end.cpu - start.cpu).Nanoseconds()) / float64(n), float64((end.wall - start.wall).Nanoseconds()) / float64(n)
}

func pingPong(n int) (float64, float64) {
	a, b := make(chan int), make(chan int)
	go func() {
		for v := range a {
			b <- v
		}
	}()
	start := now()
	for i := 0; i < n; i++ {
		a <- i
		<-b
	}
	cpu, wall := perOp(start, n)
	close(a)
	return cpu, wall
}

func buffered(n int) (float64, float64) {
	c := make(chan int, 100)
	start := now()
	go func() {
		for i := 0; i < n; i++ {
			c <- i
		}
		close(c)
	}()
	sum := 0
	for v := range c {
		sum += v
	}
	cpu, wall := perOp(start, n)
	if sum != n*(n-1)/2 {
		panic("lost values")
	}
	return cpu, wall
}

func main() {
	n := flag.Int("n", 2000000, "operations per benchmark")
	flag.Parse()
	pingPong(*n / 10) // warm up
	cpu, wall := pingPong(*n)
	fmt.Printf("go_pingpong_unbuffered %.2f %.2f\n", cpu, wall)
	buffered(*n / 10)
	cpu, wall = buffered(*n)
	fmt.Printf("go_buffered100_spsc %.2f %.2f\n", cpu, wall)
}
